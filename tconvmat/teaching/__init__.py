"""Teaching: the explanation (sections as data and their renderers), exercises and their
sheets, the explorable page and the slider explorer.

Above :mod:`tconvmat.plots`: an explanation's figures are drawn by the plots, and the page
speaks the explanation's words while the explanation's HTML embeds the page.
"""
