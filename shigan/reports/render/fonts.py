"""The font roles of a GB/T 9704-2012 document and which real font fills each on this machine.

The docx names the families an office PC has (仿宋_GB2312, 方正小标宋简体 …) so it prints right
there. On a Linux server those names are aliases: shigan/reports/fonts/65-shigan-cjk.conf maps each
to a free font (scripts/install-fonts installs both). `font_report()` records, for each role, the
requested family, what fontconfig substitutes for it and, given a PDF, whether that font went in.
"""

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Role:
    """One typographic role: its requested family, size, and the free font meant to fill it."""

    key: str
    label: str
    family: str  # the name written into the docx (w:eastAsia, w:ascii, w:hAnsi)
    size_pt: float
    intended: str  # the family 65-shigan-cjk.conf maps it to on Linux


# GB/T 9704-2012: title 2号小标宋 (7.3.1); body 3号仿宋 (5.2.2, 7.3.3); headings 黑体, 楷体, 仿宋
# (7.3.3); page numbers 4号半角宋体 (7.5). 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt.
TITLE = Role("title", "标题", "方正小标宋简体", 22, "Noto Serif CJK SC")
BODY = Role("body", "正文", "仿宋_GB2312", 16, "FandolFang")
HEADING1 = Role("heading1", "一级标题", "黑体", 16, "Noto Sans CJK SC")
HEADING2 = Role("heading2", "二级标题", "楷体_GB2312", 16, "FandolKai")
HEADING3 = Role("heading3", "三、四级标题", "仿宋_GB2312", 16, "FandolFang")
PAGE_NUMBER = Role("page_number", "页码", "宋体", 14, "Noto Serif CJK SC")
ROLES = (TITLE, BODY, HEADING1, HEADING2, HEADING3, PAGE_NUMBER)


@dataclass(frozen=True)
class RealFont:
    """What fc-match answers for a family: the font a PDF made here will contain."""

    family: str
    style: str
    postscript: str
    file: str
    chinese: bool  # covers zh-cn; False means Chinese would fall back or show as blanks

    def __str__(self) -> str:
        return f"{self.family} {self.style}".strip()


@dataclass(frozen=True)
class PdfFont:
    """One line of `pdffonts`: a font as embedded in a PDF."""

    name: str  # subset prefix removed, e.g. "FandolFang-Regular"
    type: str
    embedded: bool


@dataclass(frozen=True)
class RoleFont:
    role: Role
    real: RealFont | None  # None when fontconfig is not installed
    in_pdf: bool | None = None  # None when no PDF was examined

    @property
    def as_intended(self) -> bool:
        return self.real is not None and self.real.family == self.role.intended

    def __str__(self) -> str:
        real = str(self.real) if self.real else "（未找到 fc-match）"
        line = f"{self.role.label}：{self.role.family} → {real}"
        if self.real and not self.real.chinese:
            line += "（不含中文字形）"
        if self.in_pdf is not None:
            line += "，已嵌入 PDF" if self.in_pdf else "，未见于 PDF"
        return line


@dataclass(frozen=True)
class FontReport:
    """Role → requested family → real font, and the fonts the PDF embeds."""

    roles: tuple[RoleFont, ...]
    pdf_fonts: tuple[PdfFont, ...] = ()

    def __str__(self) -> str:
        return "\n".join(str(r) for r in self.roles)

    def problems(self) -> list[str]:
        """Roles not filled by the intended free font, and fonts the PDF does not embed."""
        out = [
            f"{r.role.label}（{r.role.family}）由 {r.real or '无'} 代替，应为 {r.role.intended}"
            for r in self.roles
            if not r.as_intended
        ]
        out += [f"PDF 未嵌入字体 {f.name}" for f in self.pdf_fonts if not f.embedded]
        return out


def fc_match(family: str) -> RealFont | None:
    """The font fontconfig substitutes for `family` in Chinese text; None without fc-match."""
    if not shutil.which("fc-match"):
        return None
    fmt = "%{family[0]}\t%{style[0]}\t%{postscriptname}\t%{file}\t%{lang}"
    out = subprocess.run(
        ["fc-match", "-f", fmt, f"{family}:lang=zh-cn"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    fields = out.split("\t")
    if len(fields) != 5:
        return None
    name, style, postscript, file, langs = fields
    return RealFont(name, style, postscript, file, "zh-cn" in langs.split("|"))


def pdf_fonts(pdf: Path | str) -> tuple[PdfFont, ...] | None:
    """The fonts listed by `pdffonts` (poppler-utils); None without it."""
    if not shutil.which("pdffonts"):
        return None
    out = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    fonts = []
    for line in out.splitlines()[2:]:  # header and dashes
        # name type [type…] encoding emb sub uni object ID — the name has no spaces in practice
        m = re.match(
            r"(\S+)\s+(.+?)\s{2,}\S.*?\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", line
        )
        if m:
            name = re.sub(r"^[A-Z]{6}\+", "", m.group(1))
            fonts.append(PdfFont(name=name, type=m.group(2).strip(), embedded=m.group(3) == "yes"))
    return tuple(fonts)


def font_report(pdf: Path | str | None = None) -> FontReport:
    """fc-match for every role, and, given a PDF, whether each role's font is embedded in it."""
    embedded = pdf_fonts(pdf) if pdf is not None else None
    faces = {_face(f.name) for f in embedded or ()}
    roles = []
    for role in ROLES:
        real = fc_match(role.family)
        in_pdf = None if embedded is None else bool(real and _face(real.postscript) in faces)
        roles.append(RoleFont(role=role, real=real, in_pdf=in_pdf))
    return FontReport(roles=tuple(roles), pdf_fonts=embedded or ())


def _face(postscript: str) -> str:
    """A PostScript name without the region tag of a CJK collection face or a trailing suffix.

    LibreOffice names a subset taken from a .ttc after the collection's first face: glyphs of
    Noto Serif CJK SC Bold arrive as "NotoSerifCJKjp-Bold-VKana" (the glyphs are the SC ones), so
    the region cannot be compared.
    """
    return "-".join(re.sub(r"CJK(jp|kr|sc|tc|hk)\b", "CJK", postscript).split("-")[:2])
