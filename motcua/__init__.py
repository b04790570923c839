"""MotCua: an electronic one-stop shop for Vietnamese local government."""

__version__ = "0.1.0"
