"""The `signing:` section of dossier.yaml as a field definition, for `dossier schema`.

Built from the key names `profiles.py` checks (SIGNING_FIELDS, PROFILE_FIELDS, POSITIONS), so the
schema offers exactly the keys the loader accepts. Which of the key sources may be combined is
checked by `load_profiles` only.
"""

from __future__ import annotations

from dossier.signing.profiles import KEY_FIELDS, POSITIONS, PROFILE_FIELDS, SIGNING_FIELDS
from dossier.workspace.spec import FLAG, ONE_OF, TABLE, TEXT, TEXTS, Field, mapping

_MEANING = {
    "role": ("签名角色", "the role this key signs in: 编制, 审核, 批准, 公司电子印章 …"),
    "visible": ("可见签名", "draw the signature on the page (default true)"),
    "position": ("签名位置", "approval (the 签名 cell of the approval block), last-page or first-page"),
    "tsa_url": ("时间戳服务", "http(s) URL of an RFC 3161 timestamp authority"),
    "pkcs12_env": ("PKCS#12 环境变量", "NAME of the environment variable holding the PKCS#12 file (base64) or its path"),
    "pkcs12_file": ("PKCS#12 文件", "path of a PKCS#12 file outside the workspace"),
    "key_env": ("私钥环境变量", "NAME of the environment variable holding the PEM private key"),
    "key_file": ("私钥文件", "path of a PEM private key outside the workspace"),
    "cert_env": ("证书环境变量", "NAME of the environment variable holding the certificate"),
    "cert_file": ("证书文件", "path of the certificate"),
    "passphrase_env": ("口令环境变量", "NAME of the environment variable holding the passphrase"),
    "passphrase_file": ("口令文件", "path of a file holding the passphrase, outside the workspace"),
}


def _profile_field(name: str) -> Field:
    label, doc = _MEANING[name]
    if name == "visible":
        return Field(name, FLAG, label=label, doc=doc)
    if name == "position":
        return Field(name, TEXT, choices=POSITIONS, label=label, doc=doc)
    return Field(name, TEXT, required=name == "role", filled=True, label=label, doc=doc, scalars=("string",))


PROFILE = mapping("", *(_profile_field(name) for name in PROFILE_FIELDS), required=True, label="签名配置",
                  doc=f"one key ({', '.join(KEY_FIELDS)}: exactly one) and the role it signs in")
_TOP = {
    "font": Field("font", TEXT, filled=True, label="签名字体", doc="an .otf/.ttf/.ttc with Chinese glyphs"),
    "tsa_url": Field("tsa_url", TEXT, filled=True, label="时间戳服务", doc="default timestamp authority of every profile"),
    "profiles": Field("profiles", TABLE, required=True, value=PROFILE, label="签名配置", doc="profile name → profile"),
    "required_roles": Field("required_roles", TEXTS, filled=True, min_items=1, label="必需签名角色",
                            doc="roles (编制, 审核, 批准 …) whose signatures every signed PDF under releases/ must carry; "
                                "verify fails one without them"),
    "people": Field("people", TABLE, label="签名人证书", doc="person's name → SHA-256 fingerprint(s) of their certificates "
                    "(64 hex digits, colons allowed)",
                    value=Field("", ONE_OF, filled=True, alternatives=(Field("", TEXT, filled=True, scalars=("string",)),
                                                                       Field("", TEXTS, filled=True, min_items=1)))),
}
SIGNING = mapping("signing", *(_TOP[name] for name in SIGNING_FIELDS), label="电子签名",
                  doc="signing profiles: keys by environment variable or by files outside the workspace")
