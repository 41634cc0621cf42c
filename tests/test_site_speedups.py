"""What the site build skips to be fast (generators/outputs/site_mkdocs.py) gives what MkDocs
would have: raw HTML blocks past Markdown, and the theme's file list kept per process."""

from __future__ import annotations

import markdown
import pytest

from generators.outputs.site_mkdocs import put_back_html, set_aside_html

EXTENSIONS = ["attr_list", "toc"]

CASES = {
    "blocks and paragraphs": "# 标题\n\n<div class=\"a\">\n<p>甲</p>\n</div>\n\n<div>乙</div>\n\n正文\n\n<table><tr><td>丙</td></tr></table>\n",
    "heading with attribute after a block": "<div>甲</div>\n\n## 责任 { #resp }\n\n<div>乙</div>\n\n- 一\n- 二\n",
    "two elements on one line": "<p class=\"aq-basis\"><strong>依据：</strong>甲</p><div class=\"w\">\n<table><tr><td>乙</td></tr></table>\n</div>\n\n尾\n",
    "unclosed element": "<div>\n<p>甲\n\n</div>\n\n文\n",
    "void and self-closed tags": "<p><img src=\"a.svg\" alt=\"图\"><br/>说明<input type=\"checkbox\"></p>\n\n<div><hr></div>\n",
    "comment inside": "<div>\n<!-- <div> -->\n甲</div>\n\n乙\n",
    "not at a paragraph start": "文字\n<div>甲</div>\n\n<section>乙</section>",
    "script stays with Markdown": "<script>var a = '<div>';</script>\n\n<div>甲</div>\n",
    "the placeholder's own text": "AQRAWBLOCK00000X\n\n<div>甲</div>\n",
}


@pytest.mark.parametrize("source", CASES.values(), ids=CASES.keys())
def test_the_html_comes_back_as_markdown_would_pass_it(source):
    plain = markdown.markdown(source, extensions=EXTENSIONS)
    text, blocks = set_aside_html(source)
    assert put_back_html(markdown.markdown(text, extensions=EXTENSIONS), blocks) == plain


def test_whole_blocks_are_set_aside_and_the_rest_is_left():
    text, blocks = set_aside_html(CASES["two elements on one line"] + "\n<div>甲</div>\n\n<div>乙\n</div>\n")
    assert blocks == ["<div>甲</div>", "<div>乙\n</div>"]  # the first line holds two elements: left to Markdown
    assert "aq-basis" in text and "AQRAWBLOCK00000X" in text and "AQRAWBLOCK00001X" in text


def test_the_kept_theme_list_equals_mkdocs_own(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files, get_files

    from generators.outputs import site_mkdocs

    site_mkdocs.install_theme_list_cache()
    original = site_mkdocs._ORIGINAL_ADD
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    cfg_file = tmp_path / "mkdocs.yml"
    cfg_file.write_text(f"site_name: 测试\ndocs_dir: {docs}\nsite_dir: {tmp_path / 'site'}\ntheme:\n  name: material\n", encoding="utf-8")

    def listing(add) -> list[tuple[str, str]]:
        cfg = load_config(config_file=str(cfg_file))
        files = get_files(cfg)
        add(files, cfg.theme.get_env(), cfg)
        return sorted((f.src_uri, f.abs_src_path) for f in files)

    theirs = listing(original)
    assert len(theirs) > 20
    assert listing(site_mkdocs.add_theme_files) == theirs
    assert listing(Files.add_files_from_theme) == theirs  # the cached list, second time round
    shadowed = next(uri for uri, _ in theirs if uri.endswith(".js"))
    (docs / shadowed).parent.mkdir(parents=True, exist_ok=True)
    (docs / shadowed).write_text("/* 本站自带 */", encoding="utf-8")  # a docs file shadows the theme's
    theirs = listing(original)
    assert listing(site_mkdocs.add_theme_files) == theirs
    assert dict(theirs)[shadowed] == str(docs / shadowed)
