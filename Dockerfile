# Doorstep in a container (README, "Running it for real"): the bot alone, its store and
# backups on the /var/lib/doorstep volume, settings from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DOORSTEP_DB=/var/lib/doorstep/doorstep.sqlite3 \
    DOORSTEP_BACKUP_DIR=/var/lib/doorstep/backups \
    DOORSTEP_LOG_JSON=1 \
    DOORSTEP_HEALTH_PORT=9100 \
    DOORSTEP_HEALTH_LISTEN=0.0.0.0

RUN useradd --system --uid 10001 --home-dir /var/lib/doorstep --shell /usr/sbin/nologin doorstep \
    && install -d -m 0700 -o doorstep -g doorstep /var/lib/doorstep

WORKDIR /opt/doorstep
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY scheduling ./scheduling
COPY data ./data
RUN pip install .

USER doorstep
VOLUME ["/var/lib/doorstep"]
# 9100: /healthz and /metrics; 8443: the webhook, when DOORSTEP_WEBHOOK_URL is set.
EXPOSE 9100 8443
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9100/healthz', timeout=4)"]
CMD ["doorstep", "run"]
