#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: system packages, Python environment, sample builds.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0   # WeasyPrint (HarfBuzz subsetting: 5x faster PDFs)
  fonts-noto-cjk fonts-arphic-ukai fonts-lxgw-wenkai      # free CJK fonts: 宋/黑 and 小标宋 (Noto, Bold), 楷 (LXGW WenKai, AR PL UKai)
  libreoffice-writer-nogui                                # .docx -> PDF check of the notices
  python3-uno                                             # one LibreOffice per build process, driven over UNO (generators/render/office_server.py)
  chromium                                                # browser tests of the site
  poppler-utils                                           # pdftoppm / pdftotext for looking at PDFs
  fonts-dejavu-core
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  [[ "$p" == \#* ]] && continue
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "安装系统软件包：${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 仿宋 for the notice PDFs: FandolFang (GPL with the font exception; all 6763 hanzi of GB 2312).
# Debian ships it only inside texlive-lang-chinese (98 MB installed, about 270 MB with the TeX Live
# it depends on), so take the one 7 MB font file out of that package instead of installing TeX.
# (fonts-cwtex-fs, Debian's other 仿宋, covers only 4384 of the 6763 and is not used.)
FANDOL_DIR=/usr/local/share/fonts/fandol
if ! fc-list : family | grep -qx "FandolFang.*"; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "安装仿宋替代字体 FandolFang（取自 Debian 软件包 texlive-lang-chinese）"
  deb_dir=$(mktemp -d)
  chmod 777 "$deb_dir"  # apt-get download writes as the _apt user
  (cd "$deb_dir" && { apt-get download -qq texlive-lang-chinese 2>/dev/null || { $SUDO apt-get update -qq && apt-get download -qq texlive-lang-chinese; }; })
  dpkg-deb --fsys-tarfile "$deb_dir"/texlive-lang-chinese_*.deb | tar -x -C "$deb_dir" --wildcards '*/fandol/FandolFang-Regular.otf'
  $SUDO install -D -m 644 "$(find "$deb_dir" -name FandolFang-Regular.otf | head -n 1)" "$FANDOL_DIR/FandolFang-Regular.otf"
  $SUDO fc-cache -f "$FANDOL_DIR" >/dev/null
  rm -rf "$deb_dir"
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

echo "构建示例企业……"
.venv/bin/anquan build --all content/ -j 2
echo "完成。输出在 build/ 下；站点首页：build/index/index.html"
