"""Urgent Action sheets into case files: text extraction (`extract`), the sheets' layouts
(`layouts`), normalising what they write (`normalise`), the case (`build`), what to check
(`report`) and the command line (`cli`); `bot.casefile` writes the case file."""
