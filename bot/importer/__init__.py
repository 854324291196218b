"""Urgent Action sheets into case files: text extraction (`extract`), the sheets' layouts
(`layouts`), normalising what they write (`normalise`), the case (`build`), what to check
(`report`), the case file (`casefile`) and the command line (`cli`)."""
