"""Secrets named by environment variable never reach logs or reports."""

from __future__ import annotations

import logging

from auditor.secrets import Redactor, secret_values


def test_secret_values_come_from_the_named_environment_variables(monkeypatch):
    monkeypatch.setenv("OKTA_TOKEN", "00abcSECRETxyz")
    monkeypatch.setenv("OTHER", "not-a-secret")
    values = secret_values([{"token_env": "OKTA_TOKEN", "url": "https://x"}, {"password_env": "UNSET_VAR"}])
    assert values == ["00abcSECRETxyz"]


def test_redactor_masks_text_and_log_records(caplog):
    redactor = Redactor(["00abcSECRETxyz"])
    assert redactor.redact("GET /apps?token=00abcSECRETxyz failed") == "GET /apps?token=*** failed"
    logger = logging.getLogger("test.secrets")
    logger.addFilter(redactor)
    with caplog.at_level(logging.WARNING):
        logger.warning("auth header SSWS %s rejected", "00abcSECRETxyz")
    assert caplog.records[0].getMessage() == "auth header SSWS *** rejected"
    assert "00abcSECRETxyz" not in caplog.text


def test_installing_for_many_scans_keeps_one_filter_and_every_secret(caplog):
    from auditor.secrets import install

    handler = logging.getLogger().handlers[0] if logging.getLogger().handlers else None
    if handler is None:
        handler = logging.StreamHandler()
        logging.getLogger().addHandler(handler)
    before = len(handler.filters)
    install(Redactor(["first-secret-value"]))
    install(Redactor(["second-secret-value"]))
    install(Redactor(["first-secret-value"]))
    redactors = [f for f in handler.filters if isinstance(f, Redactor)]
    assert len(handler.filters) <= before + 1 and len(redactors) == 1
    assert redactors[0].redact("a first-secret-value b second-secret-value") == "a *** b ***"


def test_a_logged_traceback_of_chained_exceptions_is_masked_too(caplog):
    redactor = Redactor(["00abcSECRETxyz"])
    logger = logging.getLogger("test.secrets.chained")
    logger.addFilter(redactor)
    try:
        try:
            raise ValueError("API said: bad token 00abcSECRETxyz")
        except ValueError as inner:
            raise RuntimeError("fallback failed for 00abcSECRETxyz") from inner
    except RuntimeError:
        with caplog.at_level(logging.DEBUG):
            logger.debug("source failed", exc_info=True)
    text = caplog.records[0].getMessage()
    assert "API said: bad token ***" in text and "fallback failed for ***" in text
    assert "00abcSECRETxyz" not in caplog.text
