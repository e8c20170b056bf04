FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

# pg_dump and psql for manage.py backup and restore.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

COPY pyproject.toml ./
COPY pressoffice ./pressoffice
COPY people ./people
COPY releases ./releases
RUN pip install --no-cache-dir .

COPY . .
RUN useradd --system --home /app pressoffice \
    && mkdir -p /app/media /app/staticfiles /app/backups \
    && chown -R pressoffice /app/media /app/staticfiles /app/backups
USER pressoffice

EXPOSE 8000
# /healthz answers before host checks and HTTPS redirects, so a bare request will do.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
