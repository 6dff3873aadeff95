"""End-to-end tests.  A package (this file) so that test module names may repeat
those of other test folders (tests/demo/test_demo_show.py vs e2e/test_demo_show.py)."""
