#!/usr/bin/env bash
# Regenerates assets/fonts/NotoSansSC-Subset.otf, the CJK font the GUI ships so that
# Chinese names in data/*.ron and the Simplified Chinese UI strings in src/ render.
#
# It is a subset of Noto Sans CJK SC Regular (face "NotoSansCJKsc-Regular" of Debian's
# fonts-noto-cjk NotoSansCJK-Regular.ttc) holding:
#   * every character encodable in GB2312 (6763 hanzi + 682 symbols);
#   * ASCII, Latin-1, General Punctuation, CJK Symbols and Punctuation, Halfwidth and
#     Fullwidth Forms, and Greek alpha/beta/gamma;
#   * every non-ASCII character found, at run time, in data/*.ron and src/**/*.rs.
# Hinting, vertical-layout tables and all layout features except the few a horizontal
# shaper applies by default (ccmp, locl, calt, liga, kern, mark) are dropped; only the
# default language system of each script is kept, so the Japanese/Korean/Traditional
# Chinese `locl` glyph variants (about 5800 glyphs) are not pulled in.
#
# Run from anywhere (it changes to the repository root):   tools/make_font_subset.sh
#
# Environment:
#   NOTO_CJK_SOURCE   source font (default /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,
#                     Debian package fonts-noto-cjk). A .ttc/.otc collection or a single .otf.
#   NOTO_CJK_FACE     face index inside a collection. Default: found by reading each face's
#                     name table for PostScript name NotoSansCJKsc-Regular (index 2 in Debian's
#                     file). If given, it is checked against the name table.
#   PYFTSUBSET        pyftsubset executable (default: pyftsubset on PATH; Debian package
#                     fonttools, or `pip install fonttools`).
#   PYTHON            Python 3 interpreter with fontTools importable (default: the interpreter
#                     pyftsubset runs with, then python3).
#   OUT               output file (default assets/fonts/NotoSansSC-Subset.otf).
set -euo pipefail

die() { printf 'make_font_subset: error: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")/.."
{ [ -d data ] && [ -d src ]; } || die "cannot find data/ and src/ next to tools/ (run it from the repository)"

SRC_FONT="${NOTO_CJK_SOURCE:-/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc}"
OUT="${OUT:-assets/fonts/NotoSansSC-Subset.otf}"
PYFTSUBSET="${PYFTSUBSET:-pyftsubset}"

[ -f "$SRC_FONT" ] || die "source font not found: $SRC_FONT
  Install it with 'apt-get install fonts-noto-cjk', or point NOTO_CJK_SOURCE at
  NotoSansCJK-Regular.ttc (or NotoSansCJKsc-Regular.otf) from https://github.com/notofonts/noto-cjk"

PYFTSUBSET_PATH="$(command -v "$PYFTSUBSET" 2>/dev/null)" || die "pyftsubset not found (looked for '$PYFTSUBSET').
  Install fontTools: 'apt-get install fonttools' (Debian/Ubuntu) or 'pip install fonttools',
  or set PYFTSUBSET to the executable."

# A Python that can import fontTools, for reading name tables and checking the result.
PY=""
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
shebang="$(head -n 1 "$PYFTSUBSET_PATH" 2>/dev/null || true)"
case "$shebang" in
  '#!'*python*)
    read -r -a words <<<"${shebang#'#!'}"
    if [ "${words[0]##*/}" = env ]; then candidates+=("${words[1]:-python3}"); else candidates+=("${words[0]}"); fi
    ;;
esac
candidates+=(python3)
for c in "${candidates[@]}"; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import fontTools' >/dev/null 2>&1; then PY="$c"; break; fi
done
[ -n "$PY" ] || die "no Python 3 with fontTools found (tried: ${candidates[*]}); set PYTHON"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# 1. Which face is Noto Sans CJK SC Regular? Read the name tables; never assume.
FACE="$("$PY" - "$SRC_FONT" "${NOTO_CJK_FACE:-}" <<'PY'
import sys
from fontTools.ttLib import TTFont, TTCollection

path, wanted = sys.argv[1], sys.argv[2]
ACCEPT = {"NotoSansCJKsc-Regular", "NotoSansSC-Regular"}
with open(path, "rb") as fh:
    is_collection = fh.read(4) == b"ttcf"
faces = TTCollection(path, lazy=True).fonts if is_collection else [TTFont(path, lazy=True)]
names = []
for i, font in enumerate(faces):
    names.append((i, font["name"].getDebugName(6), font["name"].getDebugName(1), font["name"].getDebugName(2)))
if wanted:
    i = int(wanted)
    if not 0 <= i < len(names):
        sys.exit(f"NOTO_CJK_FACE={i} but {path} has {len(names)} face(s)")
    if names[i][1] not in ACCEPT:
        sys.exit(f"face {i} of {path} is {names[i][1]!r}, not Noto Sans CJK SC Regular")
    hits = [names[i]]
else:
    hits = [n for n in names if n[1] in ACCEPT]
    if len(hits) != 1:
        listing = "\n".join(f"  {n[0]}: {n[1]} ({n[2]} {n[3]})" for n in names)
        sys.exit(f"expected exactly one Noto Sans CJK SC Regular face in {path}, found {len(hits)}:\n{listing}")
i, ps, fam, sub = hits[0]
print(f"source face {i}: PostScript name {ps!r}, family {fam!r}, style {sub!r}", file=sys.stderr)
print(i)
PY
)" || die "could not identify the Noto Sans CJK SC Regular face in $SRC_FONT"

# 2. The character set: GB2312 + fixed ranges + every non-ASCII char in data/ and src/.
"$PY" - "$WORK" <<'PY'
import glob, sys

work = sys.argv[1]

gb2312 = set()
for b1 in range(0xA1, 0xF8):          # GB2312 rows 1-87 (EUC-CN lead bytes A1-F7)
    for b2 in range(0xA1, 0xFF):
        try:
            gb2312.update(map(ord, bytes((b1, b2)).decode("gb2312")))
        except UnicodeDecodeError:
            pass

RANGES = [
    ("Basic Latin (printable ASCII)", 0x0020, 0x007E),
    ("Latin-1 Supplement", 0x00A0, 0x00FF),
    ("Greek alpha, beta, gamma", 0x03B1, 0x03B3),
    ("General Punctuation", 0x2000, 0x206F),
    ("CJK Symbols and Punctuation", 0x3000, 0x303F),
    ("Halfwidth and Fullwidth Forms", 0xFF00, 0xFFEF),
]

files = sorted(glob.glob("data/*.ron")) + sorted(glob.glob("src/**/*.rs", recursive=True))
if not files:
    sys.exit("no data/*.ron or src/**/*.rs files found")
extra = set()
for path in files:
    with open(path, encoding="utf-8") as fh:
        extra.update(ord(c) for c in fh.read() if ord(c) > 0x7F)

with open(f"{work}/unicodes.txt", "w") as fh:
    for label, lo, hi in RANGES:
        fh.write(f"U+{lo:04X}-{hi:04X}  # {label}\n")
    fh.write("# GB2312\n")
    fh.writelines(f"U+{cp:04X}\n" for cp in sorted(gb2312))
    fh.write("# non-ASCII characters used in data/*.ron and src/**/*.rs\n")
    fh.writelines(f"U+{cp:04X}\n" for cp in sorted(extra))
with open(f"{work}/required.txt", "w") as fh:   # what the check in step 4 insists on
    fh.writelines(f"{cp:X}\n" for cp in sorted(gb2312 | extra))
with open(f"{work}/extra.txt", "w") as fh:
    fh.writelines(f"{cp:X}\n" for cp in sorted(extra))
print(f"characters: {len(gb2312)} GB2312, {len(extra)} distinct non-ASCII from {len(files)} source/data files",
      file=sys.stderr)
PY

# 3. Subset.
mkdir -p "$(dirname "$OUT")"
set -x
"$PYFTSUBSET" "$SRC_FONT" \
  --font-number="$FACE" \
  --unicodes-file="$WORK/unicodes.txt" \
  --ignore-missing-unicodes \
  --layout-features=ccmp,locl,calt,liga,kern,mark \
  --layout-scripts=DFLT.dflt,latn.dflt,grek.dflt,cyrl.dflt,hani.dflt,kana.dflt \
  --drop-tables+=VORG,vhea,vmtx \
  --no-hinting \
  --notdef-outline \
  --name-IDs='*' \
  --output-file="$WORK/subset.otf"
{ set +x; } 2>/dev/null

# 4. Check: every required character that the source face has must be in the subset.
"$PY" - "$SRC_FONT" "$FACE" "$WORK" <<'PY'
import os, sys, unicodedata
from fontTools.ttLib import TTFont

src, face, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(src, "rb") as fh:
    is_collection = fh.read(4) == b"ttcf"
source_cmap = TTFont(src, fontNumber=face if is_collection else -1, lazy=True).getBestCmap()
out = TTFont(f"{work}/subset.otf")
out_cmap = out.getBestCmap()

def read(name):
    with open(f"{work}/{name}") as fh:
        return [int(line, 16) for line in fh if line.strip()]

required, extra = read("required.txt"), set(read("extra.txt"))
lost = [cp for cp in required if cp in source_cmap and cp not in out_cmap]
if lost:
    sys.exit("subset lost characters the source has: " + " ".join(f"U+{cp:04X}" for cp in lost))
absent = [cp for cp in required if cp not in source_cmap]
for cp in absent:
    where = "data/src" if cp in extra else "GB2312"
    print(f"warning: U+{cp:04X} {unicodedata.name(chr(cp), '?')} ({where}) has no glyph in the source font; "
          "it will render from a fallback font", file=sys.stderr)
print(f"subset: {out['maxp'].numGlyphs} glyphs, {len(out_cmap)} mapped characters, "
      f"{os.path.getsize(f'{work}/subset.otf')} bytes", file=sys.stderr)
PY

mv -f "$WORK/subset.otf" "$OUT"
echo "wrote $OUT ($(wc -c <"$OUT") bytes)"
