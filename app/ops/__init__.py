"""Operations: health check, Prometheus metrics, database backup and copy."""
from flask import Blueprint

bp = Blueprint("ops", __name__)
