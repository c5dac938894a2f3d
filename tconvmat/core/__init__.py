"""The bottom layer: plain data and the arithmetic on it (NumPy; SciPy only for C itself).

``axis`` (1-D index arithmetic), ``rules`` (every framework's padding rule), ``geometry``
(the frozen parameters), ``structure`` and ``sparse`` (C's entries, C itself), ``kernels``
(how a kernel is read), ``budget`` (every size limit), ``validation``, ``arrays`` and
``optional`` (checks, array helpers, optional dependencies). Nothing here imports a layer
above; importing this package imports none of its modules.
"""
