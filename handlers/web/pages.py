"""The page every screen starts from: no one's data, only the frame the screen fills in."""

from __future__ import annotations

from bot.core.i18n import LANGUAGES, t


def shell(screen: str, live: bool) -> str:
    """The HTML of a screen's page; its script asks `api/<screen>` for the body."""
    # The page does not know the reader yet: its first words are in both languages.
    title = " · ".join(t(lang, f"web.page.{screen}") for lang in LANGUAGES)
    loading = " / ".join(t(lang, "web.page.loading") for lang in LANGUAGES)
    refused = "<br>".join(t(lang, "web.page.unauthorised") for lang in LANGUAGES)
    failed = "<br>".join(t(lang, "web.page.failed") for lang in LANGUAGES)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="static/app.css">
<script src="static/telegram-web-app.js"></script>
<script src="static/app.js" defer></script>
</head>
<body data-screen="{screen}" data-live="{1 if live else 0}">
<main id="main" aria-live="polite"><h1 id="title">{title}</h1>
<div id="body"><p>{loading}</p></div></main>
<template id="unauthorised"><p class="refused" role="alert">{refused}</p></template>
<template id="failed"><p class="refused" role="alert">{failed}</p></template>
</body>
</html>
"""
