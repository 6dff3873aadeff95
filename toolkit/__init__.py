"""Multilingual podcast and transcript publishing toolkit.

Episode transcripts → timed subtitle cues (WebVTT, SRT, JSON) → offline machine
translation → RSS feeds and HTML transcript pages.  See README.md.
"""

__version__ = "0.1.0"
