"""Tests for bearer-token authentication: HS256 in development, RS256 from a JWKS URL."""

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from chancery.auth import REMEMBERED_SECONDS, AuthError, TokenVerifier, VerifiedTokens, issue_token
from chancery.clock import utcnow
from chancery.principal import Principal
from chancery_testing import LocalHandler, serving_http, wait_for


@pytest.fixture
def secret() -> str:
    return "secret-" + uuid.uuid4().hex


@pytest.fixture
def verifier(secret: str) -> TokenVerifier:
    return TokenVerifier(issuer="chancery", audience="chancery", secret=secret)


def _claims(**changes: object) -> dict:
    now = utcnow()
    claims = {
        "sub": "janis.berzins",
        "iss": "chancery",
        "aud": "chancery",
        "iat": now,
        "exp": now + timedelta(minutes=5),
        "roles": ["registrar"],
    }
    claims.update(changes)
    return claims


def _refused(verifier: TokenVerifier, token: str) -> AuthError:
    with pytest.raises(AuthError) as caught:
        verifier.verify(token)
    assert caught.value.status == 401
    return caught.value


# --- HS256 --------------------------------------------------------------------------------


def test_issue_and_verify_round_trip(secret: str, verifier: TokenVerifier) -> None:
    token = issue_token(
        secret, ["department_head", "clearance_secret"], department="URBAN", subject="ona.zemaityte"
    )
    assert verifier.verify(token) == Principal(
        subject="ona.zemaityte",
        roles=frozenset({"department_head", "clearance_secret"}),
        department="URBAN",
    )


def test_token_without_department_gives_none(secret: str, verifier: TokenVerifier) -> None:
    principal = verifier.verify(issue_token(secret, ["registrar"], subject="arber.hoxha"))
    assert principal.department is None
    assert principal.roles_text == "registrar"


def test_expired_token_is_refused(secret: str, verifier: TokenVerifier) -> None:
    token = issue_token(secret, ["registrar"], ttl=timedelta(seconds=-5))
    assert "expired" in _refused(verifier, token).detail


def test_wrong_audience_is_refused(secret: str, verifier: TokenVerifier) -> None:
    token = issue_token(secret, ["registrar"], audience="some-other-system")
    assert "audience" in _refused(verifier, token).detail.lower()


def test_wrong_issuer_is_refused(secret: str, verifier: TokenVerifier) -> None:
    token = issue_token(secret, ["registrar"], issuer="someone-else")
    assert "issuer" in _refused(verifier, token).detail.lower()


def test_token_without_exp_is_refused(secret: str, verifier: TokenVerifier) -> None:
    claims = _claims()
    del claims["exp"]
    token = jwt.encode(claims, secret, algorithm="HS256")
    assert '"exp"' in _refused(verifier, token).detail


def test_token_of_another_secret_is_refused(verifier: TokenVerifier) -> None:
    token = issue_token("other-" + uuid.uuid4().hex, ["registrar"])
    assert "Signature verification failed" in _refused(verifier, token).detail


def test_unsigned_token_is_refused(verifier: TokenVerifier) -> None:
    token = jwt.encode(_claims(), key=None, algorithm="none")
    assert "alg value is not allowed" in _refused(verifier, token).detail


def test_roles_that_are_not_a_list_are_refused(secret: str, verifier: TokenVerifier) -> None:
    token = jwt.encode(_claims(roles="registrar"), secret, algorithm="HS256")
    assert "roles must be a list" in _refused(verifier, token).detail


def test_unknown_roles_are_dropped_on_verify(secret: str, verifier: TokenVerifier) -> None:
    token = jwt.encode(
        _claims(roles=["registrar", "emperor", "mayor_office"]), secret, algorithm="HS256"
    )
    assert verifier.verify(token).roles == frozenset({"registrar", "mayor_office"})


def test_issue_token_rejects_unknown_roles(secret: str) -> None:
    with pytest.raises(ValueError, match=r"unknown roles \['emperor'\]"):
        issue_token(secret, ["registrar", "emperor"])


def test_verifier_needs_a_secret_or_a_jwks_url() -> None:
    with pytest.raises(ValueError, match="secret or a JWKS URL"):
        TokenVerifier(issuer="chancery", audience="chancery")


# --- Principal ----------------------------------------------------------------------------


def test_registrar_sees_every_department() -> None:
    assert Principal("ona.zemaityte", frozenset({"registrar"})).sees_every_department


def test_department_staff_sees_only_their_own() -> None:
    staff = Principal("nino.beridze", frozenset({"department_staff", "clearance_secret"}), "COMM")
    assert not staff.sees_every_department


def test_has_any_and_roles_text() -> None:
    head = Principal("arber.hoxha", frozenset({"department_head", "clearance_secret"}), "LEGAL")
    assert head.has_any("registrar", "department_head")
    assert not head.has_any("registrar", "operator")
    assert head.roles_text == "clearance_secret,department_head"


# --- RS256 from a JWKS URL ----------------------------------------------------------------


@dataclass
class IdentityProvider:
    url: str
    private_key: rsa.RSAPrivateKey
    kid: str
    requests: list[str]

    def sign(self, claims: dict, kid: str | None = None) -> str:
        return jwt.encode(
            claims, self.private_key, algorithm="RS256", headers={"kid": kid or self.kid}
        )


@pytest.fixture
def identity_provider() -> Iterator[IdentityProvider]:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = "key-" + uuid.uuid4().hex
    public_jwk = {
        **RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True),
        "kid": kid,
        "use": "sig",
        "alg": "RS256",
    }
    document = json.dumps({"keys": [public_jwk]}).encode("utf-8")
    requests: list[str] = []

    class JwksHandler(LocalHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            requests.append(self.path)
            if self.path != "/.well-known/jwks.json":
                self.send_error(404)
                return
            self.reply(200, document, {"Content-Type": "application/json"})

    with serving_http(JwksHandler) as url:
        yield IdentityProvider(f"{url}/.well-known/jwks.json", private_key, kid, requests)


@pytest.fixture
def jwks_verifier(identity_provider: IdentityProvider) -> TokenVerifier:
    return TokenVerifier(issuer="chancery", audience="chancery", jwks_url=identity_provider.url)


def test_rs256_token_is_verified_through_jwks(
    identity_provider: IdentityProvider, jwks_verifier: TokenVerifier
) -> None:
    token = identity_provider.sign(
        _claims(sub="nino.beridze", roles=["department_staff"], department="COMM")
    )
    assert jwks_verifier.verify(token) == Principal(
        "nino.beridze", frozenset({"department_staff"}), "COMM"
    )
    assert identity_provider.requests == ["/.well-known/jwks.json"]


def test_rs256_token_with_an_unknown_kid_is_refused(
    identity_provider: IdentityProvider, jwks_verifier: TokenVerifier
) -> None:
    token = identity_provider.sign(_claims(), kid="key-that-was-never-published")
    assert "key-that-was-never-published" in _refused(jwks_verifier, token).detail


def test_rs256_token_signed_by_another_key_is_refused(
    identity_provider: IdentityProvider, jwks_verifier: TokenVerifier
) -> None:
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(
        _claims(), impostor, algorithm="RS256", headers={"kid": identity_provider.kid}
    )
    assert "Signature verification failed" in _refused(jwks_verifier, token).detail


def test_hs256_token_is_refused_by_the_jwks_verifier(
    secret: str, jwks_verifier: TokenVerifier
) -> None:
    token = issue_token(secret, ["registrar"])
    assert "Unable to find a signing key" in _refused(jwks_verifier, token).detail


def test_hs256_token_naming_the_published_kid_is_refused(
    identity_provider: IdentityProvider, jwks_verifier: TokenVerifier
) -> None:
    token = jwt.encode(
        _claims(),
        "secret-" + uuid.uuid4().hex,
        algorithm="HS256",
        headers={"kid": identity_provider.kid},
    )
    assert "alg value is not allowed" in _refused(jwks_verifier, token).detail


def test_expired_rs256_token_is_refused(
    identity_provider: IdentityProvider, jwks_verifier: TokenVerifier
) -> None:
    token = identity_provider.sign(_claims(exp=utcnow() - timedelta(minutes=1)))
    assert "expired" in _refused(jwks_verifier, token).detail


# --- Remembered verifications (decision 66) ------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_remembered_token_is_forgotten_at_its_exp() -> None:
    clock = _Clock()
    remembered = VerifiedTokens(clock=clock)
    principal = Principal("ona.zemaityte", frozenset({"registrar"}))
    remembered.put("token-a", principal, expires_at=clock.now + 30)
    clock.now += 29.9
    assert remembered.get("token-a") == principal
    clock.now += 0.1
    assert remembered.get("token-a") is None
    assert len(remembered) == 0


def test_a_remembered_token_is_forgotten_after_a_minute_even_if_it_lives_longer() -> None:
    clock = _Clock()
    remembered = VerifiedTokens(clock=clock)
    remembered.put("token-a", Principal("a", frozenset()), expires_at=clock.now + 3600)
    clock.now += REMEMBERED_SECONDS
    assert remembered.get("token-a") is None


def test_the_memory_is_bounded_and_keeps_the_recently_used() -> None:
    remembered = VerifiedTokens(capacity=2, clock=_Clock())
    far = 10**10
    for name in ("a", "b"):
        remembered.put(f"token-{name}", Principal(name, frozenset()), expires_at=far)
    assert remembered.get("token-a") is not None  # "a" is now the most recent
    remembered.put("token-c", Principal("c", frozenset()), expires_at=far)
    assert len(remembered) == 2
    assert remembered.get("token-b") is None
    assert [remembered.get(f"token-{n}").subject for n in ("a", "c")] == ["a", "c"]


def test_a_remembered_token_stops_working_when_it_expires(secret: str) -> None:
    verifier = TokenVerifier(issuer="chancery", audience="chancery", secret=secret)
    token = issue_token(secret, ["registrar"], subject="arber.hoxha", ttl=timedelta(seconds=1))
    assert verifier.verify(token).subject == "arber.hoxha"
    assert verifier.verify(token).subject == "arber.hoxha"  # remembered now

    def refused() -> bool:
        try:
            verifier.verify(token)
        except AuthError as error:
            return error.status == 401 and "expired" in error.detail
        return False

    wait_for(refused, timeout=5, what="the remembered token refused after its exp")


def test_a_token_differing_from_a_remembered_one_is_checked_again(
    secret: str, verifier: TokenVerifier
) -> None:
    token = issue_token(secret, ["registrar"], subject="nino.beridze")
    verifier.verify(token)
    header, claims, signature = token.split(".")
    tampered = f"{header}.{claims}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    assert "Signature verification failed" in _refused(verifier, tampered).detail
