from __future__ import annotations

from pathlib import Path

import pytest

from laborwatch.alerts.targets import Target, TargetError, find_target, load_targets

SLACK = "slack://T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ"
MAIL = "mailto://bob:hunter2pw@smtp.example.org?to=news@example.org"


def test_plain_urls_become_untagged_targets_with_secret_free_key_and_label() -> None:
    targets = load_targets([SLACK, MAIL, "json://127.0.0.1:9000/hook"])
    assert [t.key.split("-")[0] for t in targets] == ["slack", "mailto", "json"]
    assert all(t.tags == frozenset() for t in targets)
    slack, mail, hook = targets
    assert slack.url == SLACK
    assert slack.label == "slack://T1…/***"
    assert mail.label == "mailto://***@smtp.example.org"
    assert hook.label == "json://127.0.0.1:9000/hook"
    for target in targets:
        for shown in (repr(target), str(target), target.key, target.label):
            assert "hunter2pw" not in shown
            assert "TIiajkdnlazkcOXrIdevi7FQ" not in shown


def test_key_is_stable_and_distinct() -> None:
    first = load_targets([SLACK, MAIL])
    again = load_targets([SLACK, MAIL])
    assert [t.key for t in first] == [t.key for t in again]
    assert first[0].key != first[1].key
    assert len(first[0].key) == len("slack-") + 8


def test_duplicate_urls_are_kept_once() -> None:
    assert len(load_targets([SLACK, SLACK])) == 1


def test_yaml_config_gives_tagged_targets(tmp_path: Path) -> None:
    config = tmp_path / "apprise.yml"
    config.write_text(
        f"urls:\n  - {SLACK}:\n      tag: CT-Budget, ops\n  - json://127.0.0.1:9000/hook\n",
        encoding="utf-8",
    )
    targets = load_targets(["form://127.0.0.1:9001/in"], str(config))
    assert [t.tags for t in targets] == [frozenset(), {"ct-budget", "ops"}, frozenset()]
    # the URL taken back from Apprise still works: it loads again to the same service
    assert load_targets([targets[1].url])[0].label == "slack://T1…/***"


def test_text_config_is_read_too(tmp_path: Path) -> None:
    config = tmp_path / "apprise.txt"
    config.write_text(f"layoffs={SLACK}\njson://127.0.0.1:9000/x\n", encoding="utf-8")
    targets = load_targets([], str(config))
    assert [t.tags for t in targets] == [{"layoffs"}, frozenset()]


def test_invalid_url_raises_a_redacted_error() -> None:
    with pytest.raises(TargetError, match=r"URL #2 .* not a valid Apprise URL") as caught:
        load_targets([SLACK, "slack://onlyonesupersecrettoken"])
    assert "onlyonesupersecrettoken" not in str(caught.value)
    with pytest.raises(TargetError, match="URL #1 is empty"):
        load_targets(["  "])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("urls: [unclosed\n", "invalid entries"),
        (f"urls:\n  - {SLACK}\n  - nosuchscheme://secretvalue123\n", "invalid entries"),
        ("   \n", "empty"),
    ],
)
def test_bad_config_files_raise(tmp_path: Path, content: str, message: str) -> None:
    config = tmp_path / "apprise.yml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(TargetError, match=message) as caught:
        load_targets([], str(config))
    assert "secretvalue123" not in str(caught.value)


def test_missing_config_file_raises(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="cannot read it"):
        load_targets([], str(tmp_path / "missing.yml"))


def test_target_repr_hides_url() -> None:
    target = Target(key="json-00000000", url="json://h/x?token=zzz", tags=frozenset(), label="l")
    assert "zzz" not in repr(target)


def test_targets_have_readable_stable_names_without_secrets() -> None:
    targets = load_targets(
        [
            "json://127.0.0.1:9/hook",
            "json://alerts:S3cretPw@127.0.0.1:9/other",
            MAIL,
            SLACK + "/#labor",
            "mailtos://bob:pw@gmail.com",
        ]
    )
    assert [t.name for t in targets] == [
        "webhook 127.0.0.1:9",
        "webhook 127.0.0.1:9 #2",
        "email news@example.org",
        "slack #labor",
        "email bob@gmail.com",
    ]
    assert [t.name for t in load_targets([SLACK + "/#labor"])] == ["slack #labor"]  # stable
    assert str(targets[0]) == f"webhook 127.0.0.1:9 ({targets[0].key})"
    for target in targets:
        assert "S3cretPw" not in target.name and "hunter2pw" not in target.name
    assert find_target(targets, "Webhook 127.0.0.1:9 #2") is targets[1]
    assert find_target(targets, targets[2].key) is targets[2]
    assert find_target(targets, "nobody") is None
