# DSV application image: web (gunicorn), Celery worker and beat all run from it.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY . .
RUN pip install --no-cache-dir . \
 && DEBUG=0 SECRET_KEY=build-only STATIC_MANIFEST=1 python manage.py collectstatic --noinput \
 && useradd --create-home dsv && mkdir -p var && chown -R dsv var

USER dsv
EXPOSE 8000
CMD ["gunicorn", "dsv.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
