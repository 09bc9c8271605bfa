# it_summary_formats - the demo province answers (16 on time, 1 late, 1 never)
# through the real broker and agents; `baocao summary` then gives the
# provincial summary as text, md, json, html and pdf. The PDF's text is
# extracted with pdftotext and checked word for word (diacritics included);
# its first page is rendered with pdftoppm and kept in the build tree.
. "$(dirname "$0")/lib.sh"
it_setup
command -v pdftotext >/dev/null || fail "pdftotext not found: apt-get install poppler-utils"
command -v pdftoppm >/dev/null || fail "pdftoppm not found: apt-get install poppler-utils"
ART="$BC_BIN_DIR/artefacts"
mkdir -p "$ART"
start_broker
REQ=1005/STTTT-TTBCXB
FOLDER=1005-STTTT-TTBCXB
LATE=000.00.13.H45       # Sở Tài nguyên và Môi trường answers after the deadline
MISSING=000.00.11.H45    # Sở Giao thông vận tải never answers (no prepared reply)
CODES=$(jq -r '.recipients[].code' "$DEMO/request.json")
for c in $CODES; do
    start_agent "$c" "$(agency_name "$c")"
done
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
for c in $CODES; do
    wait_for 30 "$c received the request" test -s "$WORK/drop-$c/$FOLDER/YEU-CAU.txt"
done

drop_reply() {   # drop_reply CODE: staff put the prepared reply and figures in place
    local code=$1
    cp "$DEMO/chi-tieu/$code.csv" "$WORK/drop-$code/$FOLDER/chi-tieu.csv"
    cp "$DEMO/replies/$code.txt" "$WORK/drop-$code/$FOLDER/.bao-cao.txt.part"
    mv "$WORK/drop-$code/$FOLDER/.bao-cao.txt.part" "$WORK/drop-$code/$FOLDER/bao-cao.txt"
}
for c in $CODES; do
    [ "$c" = $LATE ] || [ "$c" = $MISSING ] || drop_reply "$c"
done
for c in $CODES; do
    [ "$c" = $LATE ] || [ "$c" = $MISSING ] || wait_for 30 "$c reported" status_in $REQ "$c" REPORTED
done
# Past the deadline (the broker's clock is injectable): the late one answers.
stop_broker
export BC_CLOCK_OFFSET_MS=$(( 4 * 86400 * 1000 ))
start_broker
wait_for 20 "missing agency marked overdue" status_in $REQ $MISSING OVERDUE
drop_reply $LATE
wait_for 30 "late report stored" status_in $REQ $LATE REPORTED

# --- json: the figures every other format shows
cli summary "$REQ" --format json -o "$WORK/summary.json" >/dev/null
J="$WORK/summary.json"
[ "$(jq '.addressed' "$J")" = 18 ] || fail "addressed is not 18"
[ "$(jq '.reported' "$J")" = 17 ] || fail "reported is not 17"
[ "$(jq '.onTime' "$J")" = 16 ] || fail "on time is not 16: $(jq '.onTime' "$J")"
[ "$(jq '.late' "$J")" = 1 ] || fail "late is not 1"
[ "$(jq -r '.missingAgencies[0].code' "$J")" = $MISSING ] || fail "missing agency not listed"
hop_bao=$(jq -r '.indicators[] | select(.indicator.code == "HOP_BAO") | .total' "$J")
want=0
for c in $CODES; do
    [ -f "$DEMO/chi-tieu/$c.csv" ] || continue
    want=$(( want + $(grep '^HOP_BAO,' "$DEMO/chi-tieu/$c.csv" | cut -d, -f2) ))
done
[ "$hop_bao" = "$want" ] || fail "HOP_BAO total $hop_bao, expected $want"
# Every outline item got contributions through the parser's outline matching.
[ "$(jq '[.items[] | select(.item.number == "1") | .contributions | length] | .[0]' "$J")" = 17 ] \
    || fail "item 1 does not have 17 contributions"

# --- text and md
cli summary "$REQ" >"$WORK/summary.txt"
grep -q "TỔNG HỢP BÁO CÁO" "$WORK/summary.txt" || fail "text summary has no title"
grep -q "Trễ hạn" "$WORK/summary.txt" || fail "text summary does not show the late agency"
cli summary "$REQ" --format md -o "$WORK/summary.md" | grep -q "Đã ghi báo cáo tổng hợp" \
    || fail "md -o did not confirm"
grep -q "^# TỔNG HỢP BÁO CÁO" "$WORK/summary.md" || fail "md summary has no heading"

# --- html
cli summary "$REQ" --format html -o "$WORK/summary.html" >/dev/null
H="$WORK/summary.html"
for want in '<!DOCTYPE html>' 'class="doc-header"' 'class="organ"' 'class="nation"' \
            '@page' 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' 'Độc lập - Tự do - Hạnh phúc' \
            'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' 'ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ' \
            'Kính gửi: Ủy ban nhân dân tỉnh.' 'Phụ lục I' 'Phụ lục II' 'class="signature"' \
            'Lê Quang Vinh' 'cơ quan, đơn vị đã gửi báo cáo (đạt 94,4%)'; do
    grep -qF -- "$want" "$H" || fail "html lacks: $want"
done
grep -qE 'Số:( |&#160;)+/BC-STTTT' "$H" || fail "html lacks the blank number Số: /BC-STTTT"
while IFS= read -r name; do
    grep -qF -- "$name" "$H" || fail "html lacks agency $name"
done < <(jq -r '.recipients[].name' "$DEMO/request.json")
svgs=$(grep -o '<svg ' "$H" | wc -l)
[ "$svgs" -ge 5 ] || fail "html has $svgs charts, expected the completeness chart and 4 indicators"
! grep -qE '<script|<link |src="http' "$H" || fail "html is not self-contained"
if command -v xmllint >/dev/null; then
    xmllint --noout "$H" || fail "html is not well-formed"
fi
cp "$H" "$ART/summary.html"

# --- pdf: to a file, and to a pipe; never to a terminal
cli summary "$REQ" --format pdf -o "$WORK/summary.pdf" | grep -q "Đã ghi" || fail "pdf -o did not confirm"
P="$WORK/summary.pdf"
[ "$(head -c 5 "$P")" = "%PDF-" ] || fail "summary.pdf is not a PDF"
cli summary "$REQ" --format pdf >"$WORK/piped.pdf"
[ "$(head -c 5 "$WORK/piped.pdf")" = "%PDF-" ] || fail "piped output is not a PDF"
if command -v script >/dev/null; then
    # script(1) gives the CLI a terminal for stdout.
    set +e
    script -qec "$CLI_BIN --store $WORK/store summary $REQ --format pdf" /dev/null \
        >"$WORK/tty.out" 2>&1
    rc=$?
    set -e
    [ $rc -ne 0 ] || fail "pdf to a terminal was not refused"
    grep -q "không in tệp PDF ra màn hình" "$WORK/tty.out" || fail "no Vietnamese refusal: $(cat "$WORK/tty.out")"
fi
pdftotext -enc UTF-8 "$P" "$WORK/summary.pdf.txt"
# One line of text, blanks squeezed: paragraphs wrap wherever the layout put them.
tr '\n\f' '  ' <"$WORK/summary.pdf.txt" | tr -s ' ' >"$WORK/flat.txt"
hop_vn=$(printf '%s' "$hop_bao" | sed ':a;s/\B[0-9]\{3\}\>/.&/;ta')
for want in 'ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ' 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' \
            'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' 'Độc lập - Tự do - Hạnh phúc' 'BÁO CÁO' \
            'Tổng hợp kết quả thực hiện Chỉ thị số 06/CT-UBND' 'Kính gửi: Ủy ban nhân dân tỉnh.' \
            'I. TÌNH HÌNH GỬI BÁO CÁO' 'II. KẾT QUẢ THỰC HIỆN' 'III. KẾT QUẢ CÁC CHỈ TIÊU' \
            'có 17/18 cơ quan, đơn vị đã gửi báo cáo (đạt 94,4%), trong đó 16 báo cáo đúng hạn, 1 báo cáo trễ hạn' \
            'Chưa gửi báo cáo (1): Sở Giao thông vận tải.' \
            'Gửi báo cáo trễ hạn (1): Sở Tài nguyên và Môi trường.' \
            'Công tác tuyên truyền, phổ biến, quán triệt' "tổng số $hop_vn cuộc" \
            'Nơi nhận:' '- Như trên;' 'KT. GIÁM ĐỐC' 'PHÓ GIÁM ĐỐC' 'Lê Quang Vinh' \
            'Phụ lục I' 'Phụ lục II' 'Quá hạn chưa báo cáo'; do
    grep -qF -- "$want" "$WORK/flat.txt" || fail "pdf text lacks: $want"
done
while IFS= read -r name; do
    grep -qF -- "$name" "$WORK/flat.txt" || fail "pdf text lacks agency $name"
done < <(jq -r '.recipients[].name' "$DEMO/request.json")
# Decomposed marks would mean the text went to pango un-normalized.
# (U+0300..U+036F as bytes: CC 80..CD AF.)
! LC_ALL=C grep -q -e $'\xcc[\x80-\xbf]' -e $'\xcd[\x80-\xaf]' "$WORK/summary.pdf.txt" \
    || fail "pdf text has combining marks (not NFC)"
# Page numbers from page 2, at the top.
pages=$(pdfinfo "$P" 2>/dev/null | sed -n 's/^Pages: *//p')
echo "# pdf pages: ${pages:-?}"
[ "${pages:-0}" -ge 2 ] || fail "the pdf has ${pages:-no} page(s)"
[ "$(pdftotext -f 2 -l 2 "$P" - | head -n 1)" = 2 ] || fail "page 2 does not start with its number"
[ "$(pdftotext -f 1 -l 1 "$P" - | head -n 1)" != 1 ] || fail "page 1 shows a number"
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$P" "$ART/summary-page1"
[ -s "$ART/summary-page1.png" ] || fail "pdftoppm made no image"
cp "$P" "$ART/summary.pdf"
echo "# artefact: $ART/summary-page1.png"
echo "ok: summary as text, md, json, html and pdf for 16 on-time, 1 late, 1 missing agencies"
