# A slim image that runs the bot as a non-root user, with the database on a volume.
# MPLCONFIGDIR: matplotlib (the results chart) keeps its font cache where the bot may write.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    BOT_DB_PATH=/data/bot.sqlite3 \
    BOT_ACTIONS_DIR=/app/actions \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY templates ./templates
COPY locales ./locales
COPY migrations ./migrations
COPY actions ./actions
# Editable: `bot` is imported from /app/bot wherever the container runs, so it finds the
# templates/, migrations/ and actions/ beside it (a plain install would import a copy in
# site-packages, which has none of them, as soon as the working directory is not /app).
RUN pip install --editable . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin urgentaction \
    && mkdir -p /data && chown urgentaction /data

USER urgentaction
VOLUME ["/data"]
EXPOSE 8443
# SIGTERM (docker stop) shuts the bot down cleanly.
STOPSIGNAL SIGTERM
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
