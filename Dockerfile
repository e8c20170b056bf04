FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml ./
COPY pressoffice ./pressoffice
COPY people ./people
COPY releases ./releases
RUN pip install --no-cache-dir .

COPY . .
RUN useradd --system --home /app pressoffice && mkdir -p /app/media /app/staticfiles \
    && chown -R pressoffice /app/media /app/staticfiles
USER pressoffice

EXPOSE 8000
