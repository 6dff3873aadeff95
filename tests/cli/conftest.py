"""The published tiny shows of ``test_bad_input`` (``base_show``/``show``, ``base_es``/
``show_es``), shared with the other command-line tests of this folder."""

from test_bad_input import base_es, base_show, show, show_es  # noqa: F401 - fixtures, registered by import
