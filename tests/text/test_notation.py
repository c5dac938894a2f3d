"""One notation (issue 19 item 7): the size formula, values and shapes read the same in the
explanation, the JSON, the LaTeX of a geometry, Jupyter's display and the figures."""

from __future__ import annotations

import json
import re

import numpy as np

import tconvmat
from tconvmat.cli import main
from tconvmat.plots import _style
from tconvmat.text import notation
from tconvmat.text.display import size_latex


def _latex_as_text(latex: str) -> str:
    return latex.replace(r" \cdot ", "·").replace("-", "−")


def test_the_size_formula_reads_the_same_in_text_json_and_latex(capsys):
    # issue 19: the text said "− 2·1", the LaTeX "- 1 - 1"; both now substitute into −2p
    text = str(tconvmat.explain())
    assert "L_out = (L_in − 1)·s − 2p + d·(k − 1) + output_padding + 1" in text
    assert "rows and columns: (3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4" in text
    g = tconvmat.ConvTranspose((3, 3), (2, 2), stride=2, padding=1)
    latex = size_latex(g, 0)
    assert latex == r"L_{\mathrm{out}} = (3 - 1) \cdot 2 - 2 \cdot 1 + 1 \cdot (2 - 1) + 0 + 1 = 4"
    assert _latex_as_text(latex.split("= ", 1)[1]) == "(3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4"
    assert latex in str(tconvmat.latex(g)) and latex in g._repr_markdown_()
    assert main(["explain", "--json"]) == 0
    sizes = json.loads(capsys.readouterr().out)["sizes"]
    assert sizes == ["(3 − 1)·2 − 2·1 + 1·(2 − 1) + 0 + 1 = 4"] * 2


def test_negative_padding_is_a_number_in_parentheses_never_minus_minus():
    # padding −1 (the canvas grows by one zero each side): (3 − 1)·2 + 2 + 1 + 1 = 8
    g = tconvmat.ConvTranspose.from_crops((3,), (2,), [(-1, -1)], stride=2)
    assert g.out_shape == (8,) and g.padding == ((-1, -1),)
    text = str(tconvmat.explain(geometry=g))
    assert "(3 − 1)·2 − 2·(−1) + 1·(2 − 1) + 0 + 1 = 8" in text
    assert "- -" not in text and "− -" not in text and "− −" not in text
    assert size_latex(g, 0).endswith(r"2 \cdot (-1) + 1 \cdot (2 - 1) + 0 + 1 = 8")
    assert "- -" not in str(tconvmat.latex(g))


def test_asymmetric_padding_substitutes_into_p_low_minus_p_high():
    text = str(tconvmat.explain(padding=((1, 0), (0, 1))))
    assert "L_out = (L_in − 1)·s − p_low − p_high + d·(k − 1) + output_padding + 1" in text
    assert "rows:    (3 − 1)·2 − 1 − 0 + 1·(2 − 1) + 0 + 1 = 5" in text
    assert "columns: (3 − 1)·2 − 0 − 1 + 1·(2 − 1) + 0 + 1 = 5" in text


def test_a_value_has_no_exponent_in_text_or_figures():
    assert notation.value(1234.567) == "1234.57"
    assert _style.value_label(1234.567) == "1235"  # three significant digits, no 1.23e+03
    assert _style.value_label(np.float32(0.5)) == "0.5" == notation.value(np.float32(0.5))
    text = str(tconvmat.explain(input=[[1234.567]], kernel=[[1.0]], stride=1, padding=0))
    assert "1234.57" in text and "e+03" not in text


def test_articles_before_numbers():
    text = str(tconvmat.explain(input_shape=(8, 8), kernel_shape=(4, 4), padding=1))
    assert not re.search(r"\ba 8×", text) and not re.search(r"\ba 1[18]×", text)
    assert notation.sized("output", (18, 18)) == "an 18×18 output"
    assert notation.sized("output", (8,)) == "an output of length 8"
    one = str(tconvmat.explain(input_shape=(3,), kernel_shape=(2,)))
    assert "leaving an output of length 4" in " ".join(one.split())
