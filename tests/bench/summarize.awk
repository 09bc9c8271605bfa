# summarize.awk - the RESULT lines of run.sh as Markdown tables: each figure as
# "median (min–max)" over the runs, one table per kind of measurement.
# Usage: awk -f summarize.awk results.txt

function kv(line,    n, i, parts, p) {
    delete F
    n = split(line, parts, " ")
    for (i = 2; i <= n; i++) {
        p = index(parts[i], "=")
        if (p > 0) F[substr(parts[i], 1, p - 1)] = substr(parts[i], p + 1)
    }
}

function add(table, group, metrics,    n, i, m) {
    if (!((table, group) in seen)) {
        seen[table, group] = 1
        ngroups[table]++
        groups[table, ngroups[table]] = group
        if (!(table in tcols)) {
            ntables++
            tables[ntables] = table
            tcols[table] = metrics
        }
    }
    n = split(metrics, m, " ")
    for (i = 1; i <= n; i++) {
        if (m[i] in F) {
            vals[table, group, m[i]] = vals[table, group, m[i]] " " F[m[i]]
            count[table, group, m[i]]++
        }
    }
}

function stat(list,    n, a, i, j, t, med, lo, hi) {
    n = split(list, a, " ")
    if (n == 0) return "–"
    for (i = 2; i <= n; i++) {
        t = a[i] + 0
        for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
        a[j + 1] = t
    }
    lo = a[1]; hi = a[n]
    med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    if (n == 1) return fmt(med)
    return fmt(med) " (" fmt(lo) "–" fmt(hi) ")"
}

function fmt(x) {
    x = x + 0
    if (x >= 100 || x <= -100) return sprintf("%.0f", x)
    if (x >= 10 || x <= -10) return sprintf("%.1f", x)
    return sprintf("%.2f", x)
}

/^RESULT / {
    kv($0)
    k = F["kind"]
    if (k == "lmdb") add("LMDB synced commits (reference)", F["keys"] " keys, " F["value"] " B values, " F["per_commit"] " puts/commit", "rate commit_rate commit_p50_us commit_p99_us")
    else if (k == "verify") add("Ed25519 verification, one core", F["what"] " (" F["bytes"] " B)", "rate us_each")
    if (k == "ingest" || k == "peer") {
        sys = (k == "peer") ? F["peer"] : F["label"]
        cfg = F["agents"] "×" F["inflight"]
        if (!(cfg in cfgseen)) { cfgseen[cfg] = 1; ncfg++; cfgs[ncfg] = cfg }
        sbs_rate[cfg, sys] = sbs_rate[cfg, sys] " " F["rate"]
        sbs_p99[cfg, sys] = sbs_p99[cfg, sys] " " F["p99_us"]
    }
    if (k == "ingest") add("Durable ingest (reports/s, ack latency µs)", F["label"] " " F["agents"] "×" F["inflight"], "rate p50_us p99_us p999_us batch_avg broker_cpu client_cpu")
    else if (k == "peer") add("Peers, same job (messages/s, ack latency µs)", F["peer"] " " F["agents"] "×" F["inflight"], "rate p50_us p99_us p999_us server_cpu client_cpu")
    else if (k == "fanout") add("Fan-out (ms from issue)", F["path"] " " F["agents"] " agencies", "issue_ack_ms deliver_p50_ms deliver_all_ms stored_all_ms")
    else if (k == "hello") add("Connect + hello", F["agents"] " agencies (" F["tag"] ")", "seconds")
    else if (k == "crowd") add("Every agency submitting revisions, 1 in flight each", F["path"] " " F["agents"], "rate p50_us p99_us p999_us broker_cpu")
    else if (k == "rss") add("Broker memory (KiB)", F["tag"] " " F["phase"], "rss_kb rss_anon_kb rss_file_kb peak_kb hwm_kb")
    else if (k == "summary") add("Summary of one request", F["tag"] " " F["reported"] "/" F["agencies"] " reported", "compile_ms peak_growth_kb heap_kept_kb summary_bytes")
    else if (k == "docparse") add("Document parser", F["files"] " files, " F["bytes"] " B", "mb_per_s docs_per_s")
}

/^FAILED/ { failures = failures "\n- " $0 }

END {
    nsys = split("plain deployed nosync echo echo-curve redis amqp nats", sys_list, " ")
    for (pass = 1; pass <= 2; pass++) {
        printf "### Side by side: %s\n\n| agents×in flight |", pass == 1 ? "acknowledged reports (messages) per second" : "p99 ack latency (µs)"
        for (i = 1; i <= nsys; i++) printf " %s |", sys_list[i]
        printf "\n|---|"
        for (i = 1; i <= nsys; i++) printf "---|"
        printf "\n"
        # The issue's configurations first, in order, then any other.
        norder = split("1×1 1×16 16×1 16×16 64×1 64×16", order, " ")
        for (c = 1; c <= ncfg; c++) {
            found = 0
            for (o = 1; o <= norder; o++) if (order[o] == cfgs[c]) found = 1
            if (!found) order[++norder] = cfgs[c]
        }
        for (o = 1; o <= norder; o++) {
            if (!(order[o] in cfgseen)) continue
            printf "| %s |", order[o]
            for (i = 1; i <= nsys; i++) printf " %s |", stat(pass == 1 ? sbs_rate[order[o], sys_list[i]] : sbs_p99[order[o], sys_list[i]])
            printf "\n"
        }
        printf "\n"
    }
    for (t = 1; t <= ntables; t++) {
        table = tables[t]
        n = split(tcols[table], cols, " ")
        printf "### %s\n\n| |", table
        for (i = 1; i <= n; i++) printf " %s |", cols[i]
        printf "\n|---|"
        for (i = 1; i <= n; i++) printf "---|"
        printf "\n"
        for (g = 1; g <= ngroups[table]; g++) {
            group = groups[table, g]
            printf "| %s |", group
            for (i = 1; i <= n; i++) printf " %s |", stat(vals[table, group, cols[i]])
            printf "\n"
        }
        printf "\n"
    }
    if (failures != "") printf "### Failures\n%s\n", failures
}
