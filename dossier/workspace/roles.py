"""The sign-off roles of a controlled document and the YAML field naming each role's person.

编制 (prepared), 审核 (reviewed), 批准 (approved): device GMP 2025 Art. 43(2), documents are
reviewed and approved before issue. A signing profile whose role is one of these signs for the
person the document names in that field; other roles (公司电子印章 …) are bound to nobody.
"""

from __future__ import annotations

ROLE_FIELDS = {"编制": "prepared_by", "审核": "reviewed_by", "批准": "approved_by"}
APPROVAL_ROLE = "批准"
