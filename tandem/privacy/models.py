# The register of data-subject requests lives in its sub-package; Django finds it through here.
from .requests.models import SubjectRequest, SubjectRequestStatusChange  # noqa: F401
