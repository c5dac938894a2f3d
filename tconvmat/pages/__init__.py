"""The explorable page: linked views of one transposed convolution, with sliders."""
