"""Publish: writers for subtitles, feeds and pages, and the output layout."""
