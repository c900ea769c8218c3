from grassroots.core.fingerprint import FingerprintedCopy


def test_a_copy_is_rebuilt_only_when_its_fingerprint_changes_or_it_is_dropped():
    state = {"signature": (1,), "checks": 0, "loads": 0, "recheck": 3600.0}

    def signature():
        state["checks"] += 1
        return state["signature"]

    def load(sig):
        state["loads"] += 1
        return {"built_from": sig, "n": state["loads"]}

    copy = FingerprintedCopy(signature, load, lambda: state["recheck"])
    first = copy.get()
    assert copy.get() is first and (state["checks"], state["loads"]) == (1, 1)  # fresh: not even a check
    state["signature"] = (2,)
    assert copy.get() is first  # a change elsewhere waits for the next check
    state["recheck"] = 0.0
    second = copy.get()
    assert second["built_from"] == (2,) and state["loads"] == 2
    assert copy.get() is second and state["loads"] == 2  # checked, unchanged: kept
    copy.invalidate()
    assert copy.get() is not second and state["loads"] == 3
