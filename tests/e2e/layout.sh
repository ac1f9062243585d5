#!/bin/sh
# The printed forms' pagination against Chromium's own layout (issue 20):
# ferry-desk decides which question goes on which page from an estimate
# of how its text wraps (forms/sheet.c); tests/web/layout.js measures the
# pages as Chromium prints them. Over questionnaires in English, Korean
# and Chinese (instructions, long lines, addresses) and two stress files
# (capitals and wide letters; long addresses), on A4 and letter: no
# question runs under a page's footer or out of its box, and no question
# goes to the next page while the last had room for it and an answer
# line to spare (9 mm), so no page is left half empty.
. tests/e2e/lib.sh
need chromium python3 node
export NODE_PATH="$ROOT/$BUILD/web/npm/node_modules"
make_desk
python3 - "$T" <<'PY'
import random, sys
t = sys.argv[1]
random.seed(20)
EN = "how many hours did you work each day and who kept your passport when you arrived at the factory dormitory".split()
KO = "하루에 몇 시간 일했습니까 공장에 도착했을 때 여권은 누가 가지고 있었습니까 기숙사 방에는 몇 명이 함께 살았습니까 임금은".split()
ZH = "你每天工作几个小时 到达工厂时 谁保管你的护照 宿舍里住几个人 工资 什么时候 发放".split()
def words(pool, sep, lo, hi):
    return sep.join(random.choice(pool) for _ in range(random.randint(lo, hi)))
def write(name, lines):
    open("%s/%s.txt" % (t, name), "w").write("\n".join(lines) + "\n")
for k in range(3):
    for lang, pool, sep, title, hi in (("en", EN, " ", "Working conditions", 40),
                                       ("ko", KO, " ", "근로 조건 설문", 40),
                                       ("zh", ZH, "", "工作条件问卷", 25)):
        lines = [title, "> " + words(pool, sep, 4, 20)]
        for i in range(random.randint(12, 30)):
            q = words(pool, sep, 2, hi) + ("?" if lang != "zh" else "？")
            if random.random() < 0.1:
                q += " https://example.org/" + "x" * random.randint(40, 150)
            lines.append("%s [%d]" % (q, random.randint(0, 8)))
            if random.random() < 0.1:
                lines.append("> " + words(pool, sep, 5, 15))
        write("nat-%s-%d" % (lang, k), lines)
CAPS = ["HOW MANY HOURS DID YOU WORK EACH DAY WWW MMM", "WHO KEPT YOUR PASSPORT 1234567890 @@@",
        "mmmm wwww mmmm wwww mmmm wwww mmm www mmmm wwww"]
write("stress-en-caps", ["STRESS"] + [" ".join(random.choice(CAPS) for _ in range(random.randint(1, 6))) +
                                      " [%d]" % random.randint(0, 3) for _ in range(40)])
write("stress-en-url", ["Addresses"] + ["Visit https://example.org/" + "a/b-c_d" * random.randint(5, 60) +
                                        " then answer " + "x" * random.randint(1, 120) +
                                        " [%d]" % random.randint(0, 2) for _ in range(25)])
PY
n=0
for f in "$T"/nat-*.txt "$T"/stress-*.txt; do
	name=$(basename "$f" .txt)
	lang=$(echo "$name" | cut -d- -f2)
	for paper in a4 letter; do
		"$DESK" issue "$T/desk" --forms 1 --label layout --lang "$lang" --paper "$paper" \
			--questions "$f" --passphrase-file "$T/pass" -o "$T/out-$name-$paper" >/dev/null 2>"$T/err" ||
			{ not_ok "issue $name on $paper" "$(cat "$T/err")"; continue; }
		n=$((n + 1))
	done
done
check "ferry-desk printed the $n questionnaires (11 files, A4 and letter)" [ "$n" = 22 ]
node "$ROOT/tests/web/layout.js" "$T"/out-*/forms-*.html >"$T/layout.json" 2>"$T/layout.err"
check "Chromium laid them out" sh -c "[ -s '$T/layout.json' ]"
python3 - "$T/layout.json" >"$T/verdict" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pages = over = early = 0
worst = {"nat": -1e9, "stress": -1e9}
for f, v in sorted(d.items()):
    kind = "nat" if "/out-nat-" in f else "stress"
    p = v["pages"]
    pages += len(p)
    over += sum(1 for x in p if x["overflow"] or x["free"] < 0)
    for i in range(len(p) - 1):
        slack = p[i]["free"] - p[i + 1]["first"]
        worst[kind] = max(worst[kind], slack)
        if kind == "nat" and slack >= 9.0:
            early += 1
print(pages, over, early, "%.1f" % worst["nat"], "%.1f" % worst["stress"])
PY
read -r pages over early wnat wstress <"$T/verdict"
echo "# $pages printed pages; room left before a question moved on: at most $wnat mm (natural text), $wstress mm (stress files)"
check "no question runs under a footer or out of its page ($pages pages)" [ "$over" = 0 ]
check "no question moved to the next page while it fitted on the last with 9 mm to spare ($early such breaks; worst $wnat mm)" [ "$early" = 0 ]
check "the estimate is measured, not trivially safe: pages are filled (some break leaves less than 9 mm spare)" \
	sh -c "python3 -c 'import sys; sys.exit(not float(\"$wnat\") > -9)'"
