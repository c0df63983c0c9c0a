"""Every word vnr writes in a build language is that language's (issue 26): no English word of vnr's own
in a French, Spanish, Chinese or Arabic build, counts in their plural forms, the priority exercise by the
name vnr.yaml gives it, the export's headers translated, and the official goal names in the PDF and DOCX."""

from __future__ import annotations

import html as markup
import re
import string
import zipfile
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import openpyxl
import pytest
import yaml
from helpers import pdf_lacks, vnr

from vnr.base.i18n import Messages

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {"senegal-fr": "fr", "jordan-ar": "ar"}
OFFICIAL = {"zh": "zh-Hans"}  # the official names data's name of a language
# Parts of the HTML that are not vnr's words: comments as said, the editors' responses and reviewers' notes,
# and the statistical annex's data labels (the data's own words, in English where it has no others).
NOT_VNRS = ("voice-text", "note-text", "voice-response", "note-reply", "review-note", "stats-data")


def catalogue(lang: str) -> dict:
    return yaml.safe_load(resources.files("vnr").joinpath("messages", f"{lang}.yaml").read_text(encoding="utf-8"))


def texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [value["text"], *(f for name, forms in value.items() if name != "text" for f in forms.values())]


def words(lang: str) -> set[str]:
    """vnr's English words (4 letters or more) that the language's catalogue does not also use."""
    def of(cat: dict) -> set[str]:
        found = set()
        for key, value in cat.items():
            if key in ("locale", "alphabet"):
                continue
            for text in texts(value):
                plain = "".join(literal for literal, *_ in string.Formatter().parse(text))
                found |= set(re.findall(r"[A-Za-z]{4,}", plain))
        return found
    official = resources.files("vnr").joinpath("data", "sdg-i18n", f"{OFFICIAL.get(lang, lang)}.yaml")
    theirs = set(re.findall(r"[A-Za-z]{4,}", official.read_text(encoding="utf-8")))  # "regional" is Spanish too
    return of(catalogue("en")) - of(catalogue(lang)) - theirs - {"vnr"}


class Generated(HTMLParser):
    """The text of the generated parts (sections of class "generated"), without what is not vnr's."""

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[bool, bool]] = []  # per open element: in a generated part, in text not vnr's
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("img", "br", "meta", "link", "hr", "input"):
            return
        cls = (dict(attrs).get("class") or "").split()
        inside, skip = self.stack[-1] if self.stack else (False, False)
        self.stack.append((inside or "generated" in cls, skip or any(c in NOT_VNRS for c in cls)
                           or tag in ("style", "script")))

    def handle_endtag(self, tag):
        if self.stack and tag not in ("img", "br", "meta", "link", "hr", "input"):
            self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == (True, False):
            self.parts.append(data)

    @classmethod
    def text(cls, html: str) -> str:
        page = cls()
        page.feed(html)
        return " ".join(" ".join(page.parts).split())


@pytest.fixture(scope="module", params=["fr", "es", "zh", "ar"])
def sample(request, shared_build) -> tuple[str, Path]:
    return request.param, shared_build("--lang", request.param)[0]


@pytest.fixture(scope="module", params=list(EXAMPLES))
def example(request, shared_build) -> tuple[str, Path, Path]:
    return EXAMPLES[request.param], ROOT / "examples" / request.param, shared_build(f"examples/{request.param}")[0]


def _generated_html(out: Path, lang: str) -> str:
    html = (out / "review.html").read_text(encoding="utf-8")
    # The declined comments' table, under its heading (it has no caption of its own): each comment as
    # said and the editors' reason.
    title = markup.escape(catalogue(lang)["responses.declined"], quote=False)
    html = re.sub(rf"<h2[^>]*>{re.escape(title)}</h2>\s*<table[^>]*>.*?</table>", "", html, flags=re.DOTALL)
    # The proposals made most often on each goal (consultations): their rows are comments as said.
    title = markup.escape(catalogue(lang)["consultations.goal_proposals"], quote=False)
    html = re.sub(rf"(<caption>{re.escape(title)}</caption>.*?<tbody>).*?(</tbody>)", r"\1\2", html, flags=re.DOTALL)
    # A generated part placed by a chapter file opens with that file's title and body: the project's words.
    html = re.sub(r'(<section class="chapter generated[^"]*"[^>]*>)\s*<h1>.*?</h1>.*?(?=<\w+ class=)', r"\1",
                  html, flags=re.DOTALL)
    # The statistical annex's table bodies hold the data's labels (English where the data has no others).
    start = html.find('<section class="chapter generated statistics"')
    if start >= 0:
        end = html.find('<section class="chapter', start + 1)
        end = len(html) if end < 0 else end
        html = html[:start] + html[start:end].replace("<tbody>", '<tbody class="stats-data">') + html[end:]
    return Generated.text(html)


def _english(text: str, lang: str) -> set[str]:
    # a word, not a piece of an id ("kz-27-leb/poverty-data-1")
    return {w for w in words(lang) if re.search(rf"(?<![\w/-]){w}(?![\w/-])", text)}


def test_no_english_word_of_vnr_s_own_in_the_generated_parts_of_the_sample(sample):
    lang, out = sample
    text = _generated_html(out, lang)
    assert catalogue(lang)["consultations.seminar_list"] in text  # the parts were read
    assert _english(text, lang) == set()


def test_no_english_word_of_vnr_s_own_in_an_example_s_html_or_docx(example):
    lang, _, out = example
    html = (out / "review.html").read_text(encoding="utf-8")
    text = _generated_html(out, lang)
    assert catalogue(lang)["consultations.seminar_list"] in text
    assert _english(text, lang) == set()
    with zipfile.ZipFile(out / "review.docx") as z:
        xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")
                       and ("document" in n or "comments" in n))
    docx = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    assert catalogue(lang)["consultations.title"] in docx
    assert _english(docx, lang) == set(), "DOCX"
    assert "<html" in html


def test_counts_in_their_plural_form_in_french(example, tmp_path):
    lang, root, out = example
    if lang != "fr":
        pytest.skip("French")
    html = (out / "review.html").read_text(encoding="utf-8")
    seminars = len(list((root / "feedback").glob("*.yaml")))
    assert seminars > 1 and f"{seminars}\u00a0séminaires se sont tenus" not in html  # not a no-break space: a plain one
    assert f"{seminars} séminaires se sont tenus" in html
    m = Messages("fr")
    one = m("consultations.intro", start="a", end="b", seminars=1, covered=1, existing=14, participants=1,
            comments=1)
    assert "1 séminaire s’est tenu dans 1 région sur les 14" in one and "1 participant y a formulé 1 commentaire" in one


def test_the_priority_exercise_is_named_as_vnr_yaml_names_it(example):
    lang, root, out = example
    name = yaml.safe_load((root / "vnr.yaml").read_text(encoding="utf-8"))["priority_exercise"][lang]
    html = (out / "review.html").read_text(encoding="utf-8")
    consultations = html[html.index('id="consultations"'):]
    consultations = consultations[:consultations.index('class="chapter')]
    assert name in consultations.replace("&#34;", '"').replace("&quot;", '"')
    assert "Mission 2030" not in html and "Миссия" not in html


def test_the_export_s_headers_are_in_french(example, tmp_path):
    lang, root, _ = example
    if lang != "fr":
        pytest.skip("French")
    out = tmp_path / "feedback.xlsx"
    done = vnr("export", str(out), "--path", str(root))
    assert done.returncode == 0, done.stderr
    wb = openpyxl.load_workbook(out)
    assert [c.value for c in wb["Comments"][1]] == [
        "Identifiant du séminaire", "Identifiant du commentaire", "Commentaire", "Cibles", "Objectifs", "Type",
        "Catégorie"]
    assert [c.value for c in wb["Seminars"][1]][:5] == ["Identifiant du séminaire", "Région", "Ville", "Date",
                                                         "Public"]
    instructions = " ".join(str(c.value) for (c,) in wb["Instructions"].iter_rows(max_col=1))
    assert "Comment remplir ce classeur" in instructions and "How to fill" not in instructions
    # the keys the drop-downs hold, each shown with its words: "problem (Problème)"
    assert _english(re.sub(r"\w+ \(|Comments!D12", "", instructions), "fr") == set()
    errors = {r.error for r in wb["Seminars"].data_validations.dataValidation}
    assert "Choisissez une valeur dans la liste." in errors and "Une date, par exemple 2022-03-15." in errors


def _official(lang: str) -> dict[int, str]:
    data = yaml.safe_load(resources.files("vnr").joinpath("data", "sdg-i18n", f"{lang}.yaml")
                          .read_text(encoding="utf-8"))
    return {int(number): " ".join(goal["short"].split()) for number, goal in data["goals"].items()}


def test_official_goal_names_in_the_pdf_and_docx_of_the_sample(sample):
    lang, out = sample
    shorts = _official(OFFICIAL.get(lang, lang))
    assert not pdf_lacks(out / "review.pdf", [shorts[n] for n in (3, 6, 7, 11)], squeeze=True)
    with zipfile.ZipFile(out / "review.docx") as z:
        docx = " ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", z.read("word/document.xml").decode("utf-8")))
    for number in (3, 6, 7, 11):
        assert shorts[number] in docx, number


def test_the_preview_s_errors_page_is_in_the_build_language():
    from vnr.preview import errors_page

    status = {"errors": ["chapters/a.yaml:3:1: error: unknown key 'titel'"], "pdf": 4}  # vnr's errors: English
    page = errors_page(status, "review", "fr").decode()
    words_shown = re.sub(r"<[^>]+>|chapters/a\.yaml[^<]*|/review\.pdf", " ", page.split("</style>")[1])
    assert "<h1>Aperçu vnr\u00a0: 1 erreur</h1>" in page and 'lang="fr"' in page
    assert _english(words_shown, "fr") == set()
    assert "خطآن" in errors_page({**status, "errors": ["a", "b"]}, "review", "ar").decode()  # Arabic's dual
