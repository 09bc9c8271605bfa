/* dashboard.js - live updates of the dashboard's pages, inlined in every page.
 *
 * The server renders every page complete; this script only keeps it
 * current. It listens to /events (Server-Sent Events): a "snapshot" first
 * (the whole state), then "update"s, each carrying the state after it, so
 * applying one twice changes nothing. EventSource reconnects by itself and
 * sends Last-Event-ID; the server answers with what was missed, or with a
 * fresh snapshot when that is too old. Display choices (large type, high
 * contrast) are kept in localStorage. No library, no external file. */
(function () {
  'use strict';
  var root = document.documentElement;
  var body = document.body;
  var page = body.getAttribute('data-page');
  var key = body.getAttribute('data-key') || '';
  var TZ_MS = 7 * 3600 * 1000;            /* Asia/Ho_Chi_Minh, no DST */

  function pad(n) { return (n < 10 ? '0' : '') + n; }
  /* "14:05 26/11/2026", as the server writes it */
  function fmtTime(ms) {
    var d = new Date(ms + TZ_MS);
    return pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) + ' ' + pad(d.getUTCDate()) +
      '/' + pad(d.getUTCMonth() + 1) + '/' + d.getUTCFullYear();
  }
  function tsMs(ts) { return ts ? Date.parse(ts) : 0; }
  function num(v) { return v ? Number(v) : 0; }
  function setText(el, t) { if (el && el.textContent !== t) { el.textContent = t; } }
  function all(sel, scope) { return Array.prototype.slice.call((scope || document).querySelectorAll(sel)); }

  /* "còn 2 ngày 3 giờ" / "quá hạn 5 giờ" */
  function dueText(deadline, now) {
    var d = deadline - now, past = d < 0;
    d = Math.abs(d);
    var mins = Math.floor(d / 60000), days = Math.floor(mins / 1440), hours = Math.floor(mins % 1440 / 60);
    var parts = days ? days + ' ngày' + (hours ? ' ' + hours + ' giờ' : '') :
      hours ? hours + ' giờ' + (mins % 60 ? ' ' + (mins % 60) + ' phút' : '') : Math.max(mins, 1) + ' phút';
    return past ? 'quá hạn ' + parts : 'còn ' + parts;
  }
  function refreshDue() {
    var now = Date.now();
    all('[data-deadline]').forEach(function (el) {
      var dl = Number(el.getAttribute('data-deadline'));
      if (dl) {
        setText(el, dueText(dl, now));
        el.classList.toggle('past', dl <= now);
        var card = el.closest('.req');
        if (card) { card.classList.toggle('passed', dl <= now); card.classList.toggle('open', dl > now); }
      }
    });
  }

  /* display toggles: large type and high contrast */
  function toggle(btn, cls) {
    if (!btn) { return; }
    var stored = null;
    try { stored = localStorage.getItem('bc-' + cls); } catch (e) { /* private mode */ }
    if (stored !== null && !body.hasAttribute('data-display-fixed')) { root.classList.toggle(cls, stored === '1'); }
    btn.setAttribute('aria-pressed', root.classList.contains(cls) ? 'true' : 'false');
    btn.addEventListener('click', function () {
      var on = !root.classList.contains(cls);
      root.classList.toggle(cls, on);
      btn.setAttribute('aria-pressed', on ? 'true' : 'false');
      try { localStorage.setItem('bc-' + cls, on ? '1' : '0'); } catch (e) { /* private mode */ }
    });
  }
  toggle(document.getElementById('btn-large'), 'large');
  toggle(document.getElementById('btn-contrast'), 'contrast');

  /* completeness figures of one request inside scope */
  function applyCounts(scope, e) {
    if (!scope || !e) { return; }
    var addressed = num(e.addressed), reported = num(e.reported), late = num(e.late), overdue = num(e.overdue);
    var onTime = Math.max(reported - late, 0), missing = Math.max(addressed - reported - overdue, 0);
    var v = { addressed: addressed, reported: reported, ontime: onTime, late: late, missing: missing, overdue: overdue };
    Object.keys(v).forEach(function (k) { all('.c-' + k, scope).forEach(function (el) { setText(el, String(v[k])); }); });
    var pct = function (n) { return addressed ? (100 * n / addressed).toFixed(2) + '%' : '0%'; };
    all('.bar', scope).forEach(function (bar) {
      var ok = bar.querySelector('.seg.ok'), lt = bar.querySelector('.seg.late'), od = bar.querySelector('.seg.overdue');
      if (ok) { ok.style.width = pct(onTime); }
      if (lt) { lt.style.width = pct(late); }
      if (od) { od.style.width = pct(overdue); }
      bar.setAttribute('aria-label', reported + '/' + addressed + ' đã báo cáo: ' + onTime + ' đúng hạn, ' +
        late + ' trễ hạn, ' + missing + ' chưa báo cáo, ' + overdue + ' quá hạn');
    });
  }

  /* one agency's row on the request page */
  function flash(el) {
    el.classList.remove('flash');
    void el.offsetWidth;                  /* restart the animation */
    el.classList.add('flash');
  }
  function applyPresence(p) {
    if (!p || !p.agencyCode) { return; }
    var tr = document.getElementById('a-' + p.agencyCode);
    var cell = tr && tr.querySelector('.presence');
    if (!cell) { return; }
    cell.classList.toggle('on', !!p.online);
    setText(cell.querySelector('.ptext'), p.online ? 'Trực tuyến' :
      p.lastSeen ? 'Lần cuối ' + fmtTime(tsMs(p.lastSeen)) : 'Chưa kết nối');
  }
  function applyRow(a, quiet) {
    var st = a && a.status;
    var code = st && st.agency && st.agency.code;
    var tr = code && document.getElementById('a-' + code);
    if (!tr) { return; }
    var status = (st.status || 'PENDING').toLowerCase(), tl = (st.timeliness || '').toLowerCase();
    var cls = 'row s-' + status + (tl ? ' t-' + tl : '');
    var changed = tr.getAttribute('data-status') !== st.status || tr.getAttribute('data-rev') !== String(num(st.revision));
    tr.className = cls;
    tr.setAttribute('data-status', st.status || 'PENDING');
    tr.setAttribute('data-rev', String(num(st.revision)));
    setText(tr.querySelector('.status .badge'), a.statusLabel || st.status || '');
    setText(tr.querySelector('.status .rev'), num(st.revision) > 1 ? 'lần ' + num(st.revision) : '');
    setText(tr.querySelector('.at'), st.statusAt ? fmtTime(tsMs(st.statusAt)) : '');
    setText(tr.querySelector('.timeliness'), a.timelinessLabel || '');
    if (a.presence) { applyPresence(a.presence); }
    if (changed && !quiet) { flash(tr); }
  }

  /* the timeline of arrivals */
  function addArrival(code, name, at, revision, late) {
    var list = document.getElementById('arrivals');
    if (!list || !at) { return false; }
    var id = code + '#' + revision;
    if (list.querySelector('li[data-id="' + id + '"]')) { return false; }
    var li = document.createElement('li');
    li.setAttribute('data-id', id);
    li.setAttribute('data-at', String(at));
    li.className = late ? 'late' : 'ok';
    var t = document.createElement('time');
    t.textContent = fmtTime(at);
    var who = document.createElement('span');
    who.className = 'who';
    who.textContent = name || code;
    var what = document.createElement('span');
    what.className = 'what';
    what.textContent = (revision > 1 ? 'bản sửa đổi lần ' + revision : 'báo cáo lần đầu') + ' · ' +
      (late ? 'trễ hạn' : 'đúng hạn');
    li.appendChild(t); li.appendChild(who); li.appendChild(what);
    var after = null;
    all('li', list).forEach(function (x) { if (Number(x.getAttribute('data-at')) <= at) { after = x; } });
    list.insertBefore(li, after ? after.nextSibling : list.firstChild);
    var none = document.getElementById('no-arrivals');
    if (none) { none.hidden = true; }
    return true;
  }
  function nameOf(code) {
    var tr = document.getElementById('a-' + code);
    var n = tr && tr.querySelector('.name');
    return n ? n.textContent : code;
  }

  /* the requests page: a new request gets a card */
  function cardFor(e) {
    var cards = all('.req[data-key]');
    for (var i = 0; i < cards.length; i++) {
      if (cards[i].getAttribute('data-key') === e.key) { return cards[i]; }
    }
    var tpl = document.getElementById('req-template');
    var box = document.getElementById('reqs');
    if (!tpl || !box || !e.key) { return null; }
    var card = tpl.content.firstElementChild.cloneNode(true);
    card.setAttribute('data-key', e.key);
    card.querySelector('.title').setAttribute('href', '/r/' + encodeURIComponent(e.key));
    setText(card.querySelector('.cit'), (e.documentType ? e.documentType + ' ' : '') + (e.citation || e.key));
    setText(card.querySelector('.subj'), e.subject || '');
    setText(card.querySelector('.issuer'), e.issuer && e.issuer.name ? e.issuer.name : '');
    var dl = tsMs(e.deadline), dlEl = card.querySelector('.dl');
    if (dl && dlEl) {
      setText(dlEl, fmtTime(dl));
      var due = document.createElement('span');
      due.className = 'due';
      due.setAttribute('data-deadline', String(dl));
      dlEl.parentNode.insertBefore(document.createTextNode(')'), dlEl.nextSibling);
      dlEl.parentNode.insertBefore(due, dlEl.nextSibling);
      dlEl.parentNode.insertBefore(document.createTextNode(' ('), dlEl.nextSibling);
    }
    box.insertBefore(card, box.firstChild);
    var none = document.getElementById('no-requests');
    if (none) { none.hidden = true; }
    setText(document.getElementById('n-requests'), String(all('.req', box).length));
    refreshDue();
    flash(card);
    return card;
  }

  function applyRequest(r, quiet) {
    if (!r) { return; }
    applyCounts(document.getElementById('head'), r.entry);
    (r.agencies || []).forEach(function (a) { applyRow(a, quiet); });
    (r.timeline || []).forEach(function (t) {
      var code = t.agency && t.agency.code;
      addArrival(code, (t.agency && t.agency.name) || nameOf(code), tsMs(t.at), num(t.revision), !!t.late);
    });
  }
  function applyList(l) {
    if (!l) { return; }
    (l.requests || []).forEach(function (e) { applyCounts(cardFor(e), e); });
  }

  var summaryStale = false;
  function markStale() {
    var note = document.getElementById('stale');
    if (note && !summaryStale) { note.hidden = false; summaryStale = true; }
  }

  function applyUpdate(u) {
    if (u.kind === 'feed.resync') { resync(); return; }
    if (u.kind === 'presence') { applyPresence(u.presence); return; }
    if (page === 'list') {
      if (u.request) { applyCounts(cardFor(u.request), u.request); }
      return;
    }
    if (u.requestKey !== key) { return; }
    if (u.request) { applyCounts(document.getElementById('head'), u.request); }
    if (u.agency) { applyRow(u.agency, false); }
    var ev = u.event || {};
    if (u.kind === 'report.stored' && ev.agencyCode) {
      addArrival(ev.agencyCode, nameOf(ev.agencyCode), tsMs(ev.at) || tsMs(u.receivedAt), num(ev.revision) || 1, !!ev.late);
      markStale();
    }
  }

  /* a fresh state over plain HTTP: after the feed reconnected */
  function resync() {
    var url = page === 'list' ? '/api/requests' : '/api/requests/' + encodeURIComponent(key) + '?view=status';
    fetch(url, { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (!data) { return; }
      if (page === 'list') { applyList(data); } else { applyRequest(data, false); }
    }).catch(function () { /* the next update or snapshot will do */ });
  }

  var live = document.getElementById('live');
  function setLive(state, label) {
    if (!live) { return; }
    live.setAttribute('data-state', state);
    setText(live, label);
  }

  var source = null, retryTimer = null;
  function connect() {
    if (!window.EventSource) { setLive('down', 'Trình duyệt không hỗ trợ cập nhật trực tiếp'); return; }
    var url = '/events' + (page === 'request' ? '?request=' + encodeURIComponent(key) : '');
    source = new EventSource(url);
    source.addEventListener('open', function () { setLive('live', 'Trực tiếp'); });
    source.addEventListener('error', function () {
      if (source.readyState === 2) {
        /* the server refused (busy, restarting): try again later ourselves */
        setLive('down', 'Mất kết nối');
        clearTimeout(retryTimer);
        retryTimer = setTimeout(connect, 5000);
      } else {
        setLive('connecting', 'Đang kết nối lại…');
      }
    });
    source.addEventListener('snapshot', function (m) {
      var s = JSON.parse(m.data);
      if (page === 'list') { applyList(s.list); } else { applyRequest(s.request, true); }
      setLive('live', 'Trực tiếp');
    });
    source.addEventListener('update', function (m) { applyUpdate(JSON.parse(m.data)); });
  }

  refreshDue();
  setInterval(refreshDue, 30000);
  connect();
})();
