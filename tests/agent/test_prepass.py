"""The Python pre-pass: literal conditions folded, slices dropped, containers followed, guards marked."""

from __future__ import annotations

import textwrap

from bastion.agent.engines.prepass import GUARD, prepare


def rewritten(source: str) -> str:
    """Return the prepared source, checking that every line stayed where it was."""
    source = textwrap.dedent(source)
    result = prepare(source)
    assert result.count("\n") == source.count("\n")
    return result


def same(source: str) -> None:
    """Check that the pre-pass leaves a source unchanged."""
    assert rewritten(source) == textwrap.dedent(source)


# Conditions decidable from literals


def test_decidable_conditional_expression_becomes_the_chosen_branch() -> None:
    assert rewritten('v = "fixed" if 3 * 5 > 10 else param\n') == 'v = ("fixed")\n'
    assert rewritten('v = "fixed" if len("ab") > 10 else param\n') == "v = (param)\n"


def test_decidable_if_blanks_the_dead_branch() -> None:
    source = """\
    if 7 > 3:
        v = "x"
    else:
        v = param
        w = (1,
             2)
    use(v)
    """
    assert rewritten(source) == textwrap.dedent("""\
    if 7 > 3:
        v = "x"
    else:
        pass
        pass

    use(v)
    """)


def test_false_test_blanks_the_body_and_keeps_the_else() -> None:
    source = """\
    if "a" in ("b", "c") and not False:
        v = param
    else:
        v = "x"
    """
    assert rewritten(source) == textwrap.dedent("""\
    if "a" in ("b", "c") and not False:
        pass
    else:
        v = "x"
    """)


def test_true_test_blanks_the_elif_chain() -> None:
    source = """\
    def handler():
        if 1 + 1 == 2:
            v = "x"
        elif other:
            v = param
        use(v)
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler():
        if 1 + 1 == 2:
            v = "x"
        pass

        use(v)
    """)


def test_multi_line_conditional_expression_keeps_its_lines() -> None:
    source = """\
    v = ("fixed"
         if 2 < 1
         else param)
    """
    assert rewritten(source) == "v = (((param)\n\n))\n"


def test_nested_conditional_expressions_fold_level_by_level() -> None:
    assert rewritten('v = ("a" if 1 > 2 else ("b" if 2 > 1 else param))\n') == 'v = ((("b")))\n'


def test_undecidable_conditions_are_left_alone() -> None:
    same("""\
    v = "fixed" if flag > 10 else param
    if len(name) > 3:
        v = param
    else:
        v = "x"
    w = "a" if "x" * 10**9 else "b"
    z = "a" if call() else "b"
    """)


# Slices


def test_slice_becomes_the_sliced_value() -> None:
    source = 'query = "select " + s[4:-17] + t[4:] + u[::2] + v[1:][2:]\n'
    assert rewritten(source) == 'query = "select " + s + t + u + v\n'


def test_slice_in_format_string_is_dropped() -> None:
    assert rewritten('query = f"select {name[1:]}"\n') == 'query = f"select {name}"\n'


def test_slice_assignment_and_index_are_left_alone() -> None:
    same("""\
    s[1:2] = value
    del s[3:]
    first = s[0]
    """)


def test_multi_line_slice_keeps_its_lines() -> None:
    assert rewritten("v = s[1:\n      2].strip()\n") == "v = ((s)\n).strip()\n"


def test_utf8_columns_are_respected() -> None:
    source = 'x = "héllo wörld"; v = s[1:] + "ü"; w = "€" if 1 else param\n'
    assert rewritten(source) == 'x = "héllo wörld"; v = s + "ü"; w = ("€")\n'


# Containers


def test_constant_key_write_keeps_the_other_keys() -> None:
    source = """\
    def handler(cursor):
        param = request.args.get("q")
        m = {}
        m["a"] = param
        m["c"] = "c"
        cursor.execute("select " + m["a"] + m["c"])
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler(cursor):
        param = request.args.get("q")
        m = {}
        m["a"] = param
        m["c"] = "c"
        cursor.execute("select " + param + 'c')
    """)


def test_list_read_by_another_index_becomes_the_literal() -> None:
    source = """\
    def handler(cursor):
        items = [param, "safe"]
        items.append(other)
        cursor.execute(items[1] + items[0] + items[-1] + items[5])
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler(cursor):
        items = [param, "safe"]
        items.append(other)
        cursor.execute('safe' + param + other + items[5])
    """)


def test_dict_literal_get_and_update() -> None:
    source = """\
    def handler():
        m = {"a": param, "b": 2, **rest}
        n = dict(a=param, b="x")
        n.update(c="y")
        n.update({"d": 3})
        return n.get("b"), n["c"], n.get("d", 0), n.get("e"), m["b"]
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler():
        m = {"a": param, "b": 2, **rest}
        n = dict(a=param, b="x")
        n.update(c="y")
        n.update({"d": 3})
        return 'x', 'y', 3, n.get("e"), m["b"]
    """)


def test_configparser_reads_by_section_and_key() -> None:
    source = """\
    def handler():
        conf = configparser.ConfigParser()
        conf.add_section("s")
        conf.set("s", "k1", param)
        conf.set("s", "k2", "x")
        conf["s"]["k3"] = "y"
        return conf.get("s", "k2"), conf["s"]["k1"], conf["s"]["k3"]
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler():
        conf = configparser.ConfigParser()
        conf.add_section("s")
        conf.set("s", "k1", param)
        conf.set("s", "k2", "x")
        conf["s"]["k3"] = "y"
        return 'x', param, 'y'
    """)


def test_write_in_a_branch_or_loop_makes_the_container_unknown() -> None:
    same("""\
    def branch(flag):
        items = [param, "safe"]
        if flag:
            items[1] = param
        return items[1]

    def loop(values):
        m = {"a": "x"}
        for value in values:
            m["a"] = value
        return m["a"]
    """)


def test_reads_inside_a_branch_use_the_state_before_it() -> None:
    source = """\
    def handler(flag):
        m = {"a": "x"}
        if flag:
            return m["a"]
        return None
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler(flag):
        m = {"a": "x"}
        if flag:
            return 'x'
        return None
    """)


def test_container_passed_aliased_or_written_by_unknown_key_becomes_unknown() -> None:
    same("""\
    def passed():
        m = {"a": "x"}
        fill(m)
        return m["a"]

    def aliased():
        m = {"a": "x"}
        n = m
        n["a"] = param
        return m["a"]

    def unknown_key(key):
        m = {"a": "x"}
        m[key] = param
        return m["a"]

    def mutated():
        items = ["x", "y"]
        items.insert(0, param)
        return items[1]
    """)


def test_rebound_name_is_not_substituted() -> None:
    source = """\
    def handler():
        m = {"a": value}
        value = "other"
        return m["a"], m.get("a")
    """
    assert rewritten(source) == textwrap.dedent(source)


def test_containers_are_followed_per_function() -> None:
    source = """\
    m = {"a": "x"}

    def handler():
        return m["a"]

    v = m["a"]
    """
    assert rewritten(source) == textwrap.dedent(source)


# Guards


def test_exit_guard_marks_the_checked_name() -> None:
    source = """\
    def handler(cursor):
        name = request.args.get("name")
        if "'" in name:
            abort(400)
        cursor.execute("select " + name)
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler(cursor):
        name = request.args.get("name")
        if "'" in (name := {GUARD}(name)):
            abort(400)
        cursor.execute("select " + name)
    """)


def test_guard_forms() -> None:
    source = """\
    def handler():
        if urlparse(url).netloc not in ALLOWED_HOSTS:
            return redirect("/")
        if not next_url.startswith("/"):
            raise ValueError(next_url)
        if not re.fullmatch(r"[a-z]+", name):
            flask.abort(400)
        if not PATTERN.match(code) or code != "x":
            sys.exit(1)
        if not os.path.realpath(os.path.join(BASE, path)).startswith(BASE):
            return None
        return url
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler():
        if urlparse((url := {GUARD}(url))).netloc not in ALLOWED_HOSTS:
            return redirect("/")
        if not (next_url := {GUARD}(next_url)).startswith("/"):
            raise ValueError(next_url)
        if not re.fullmatch(r"[a-z]+", (name := {GUARD}(name))):
            flask.abort(400)
        if not PATTERN.match((code := {GUARD}(code))) or code != "x":
            sys.exit(1)
        if not os.path.realpath(os.path.join(BASE, (path := {GUARD}(path)))).startswith(BASE):
            return None
        return url
    """)


def test_guard_on_a_parsed_url_marks_the_url_too() -> None:
    source = """\
    def handler():
        parsed = urlparse(target)
        if parsed.hostname not in ALLOWED_HOSTS:
            return None
        return target
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler():
        parsed = urlparse(target)
        if ((target := {GUARD}(target)), (parsed := {GUARD}(parsed)))[1].hostname not in ALLOWED_HOSTS:
            return None
        return target
    """)


def test_guard_in_a_loop_with_continue() -> None:
    source = """\
    for name in names:
        if name not in ALLOWED:
            continue
        run(name)
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    for name in names:
        if (name := {GUARD}(name)) not in ALLOWED:
            continue
        run(name)
    """)


def test_allow_list_test_marks_the_name_in_its_body() -> None:
    source = """\
    def handler(cursor):
        if name in ALLOWED:
            cursor.execute("select " + name)
        if name.isdigit(): cursor.execute(name)
        cursor.execute(name)
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler(cursor):
        if name in ALLOWED:
            name = {GUARD}(name); cursor.execute("select " + name)
        if name.isdigit(): name = {GUARD}(name); cursor.execute(name)
        cursor.execute(name)
    """)


def test_checks_that_validate_nothing_are_not_guards() -> None:
    same("""\
    def handler(cursor):
        if not name:
            return None
        if name is None:
            abort(400)
        if name == "":
            return None
        if len(name) > 100:
            abort(400)
        if name not in ALLOWED:
            log(name)
        if "'" in name:
            log(name)
        else:
            return None
        if not name in ALLOWED:
            cursor.execute(name)
        cursor.execute(name)
    """)


# Robustness


def test_unparseable_input_comes_back_unchanged() -> None:
    for source in ("def broken(:\n    pass\n", "x = 1\x00\n", "x = s[1:]\ry = 2\n", "\ud800 = s[1:]\n"):
        assert prepare(source) == source


def test_deeply_nested_input_comes_back_unchanged() -> None:
    for source in (
        "x = " + "(" * 1000 + "s[1:]" + ")" * 1000 + "\n",
        "x = " + "-" * 100_000 + "1\n",
        "x = s[1:] + " + " + ".join(["1"] * 50_000) + "\n",
    ):
        assert prepare(source) in (source, source.replace("s[1:]", "s"))


def test_large_input_keeps_its_line_count() -> None:
    function = textwrap.dedent("""\
    def handler_{index}(cursor):
        items = [param, "safe"]
        if "'" in name:
            abort(400)
        v = "a" if 1 > 2 else s[1:]
        cursor.execute(items[1] + v + name)
    """)
    source = ""
    index = 0
    while len(source) < 500 * 1024:
        source += function.format(index=index)
        index += 1
    result = prepare(source)
    assert result.count("\n") == source.count("\n")
    assert result.count(f"(name := {GUARD}(name))") == index


def test_input_over_the_size_limit_comes_back_unchanged() -> None:
    source = "v = s[1:]\n" * 60_000
    assert prepare(source) == source


def test_allow_list_before_a_compound_statement_is_left_alone() -> None:
    same("""\
    def handler():
        if name in ALLOWED:
            for item in items:
                run(name)
        if name == "x":
            @route
            def inner():
                return name
    """)


def test_allow_list_needs_a_fixed_value_and_a_real_check() -> None:
    same("""\
    def handler(cursor):
        if name == other:
            cursor.execute(name)
        if name in names:
            cursor.execute(name)
        if url.startswith("https://"):
            fetch(url)
        if not url.startswith(("http", "https")):
            return None
        if __name__ == "__main__":
            main()
    """)


def test_slot_holding_an_expression_is_read_back_as_that_expression() -> None:
    source = """\
    def handler(cursor):
        m = {"safe": "users"}
        m["q"] = request.args.get("q")
        m["e"] = escape(name)
        m["c"] = m["q"] + m["safe"]
        cursor.execute(m["q"] + m["e"] + m["c"])
        name = "other"
        cursor.execute(m["e"])
    """
    assert rewritten(source) == textwrap.dedent("""\
    def handler(cursor):
        m = {"safe": "users"}
        m["q"] = request.args.get("q")
        m["e"] = escape(name)
        m["c"] = (request.args.get("q")) + 'users'
        cursor.execute((request.args.get("q")) + (escape(name)) + m["c"])
        name = "other"
        cursor.execute(m["e"])
    """)


def test_check_polarity_decides_where_the_name_is_valid() -> None:
    source = """\
    def handler(cursor):
        if name in ALLOWED:
            return render(name)
        if re.search(r"[;&|]", command):
            abort(400)
        if re.search(r"^[a-z]+$", word):
            run(word)
        if "'" not in title:
            cursor.execute(title)
        if count > 100:
            abort(400)
        cursor.execute(name)
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler(cursor):
        if name in ALLOWED:
            name = {GUARD}(name); return render(name)
        if re.search(r"[;&|]", (command := {GUARD}(command))):
            abort(400)
        if re.search(r"^[a-z]+$", word):
            word = {GUARD}(word); run(word)
        if "'" not in title:
            title = {GUARD}(title); cursor.execute(title)
        if (count := {GUARD}(count)) > 100:
            abort(400)
        cursor.execute(name)
    """)


def test_checks_of_the_wrong_polarity_are_not_guards() -> None:
    same("""\
    def handler(cursor):
        if "'" in name:
            cursor.execute(name)
        if name in ALLOWED or flag:
            cursor.execute(name)
        if name.endswith(".png"):
            cursor.execute(name)
    """)


def test_literal_string_methods_and_builtins_are_folded() -> None:
    source = """\
    a = x if "kg".upper() == "KG" else "w"
    b = x if max(1, 2) > 3 else "w"
    c = x if "a".count() else "w"
    """
    assert rewritten(source) == 'a = (x)\nb = ("w")\nc = x if "a".count() else "w"\n'


def test_none_test_of_a_check_call_is_a_guard() -> None:
    source = """\
    def handler():
        if LIST_NAME.fullmatch(list_name) is None:
            abort(400)
        if PATTERN.match(code) is not None:
            run(code)
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler():
        if LIST_NAME.fullmatch((list_name := {GUARD}(list_name))) is None:
            abort(400)
        if PATTERN.match(code) is not None:
            code = {GUARD}(code); run(code)
    """)


def test_startswith_guards_only_a_path_url_or_resolved_path() -> None:
    source = """\
    def handler():
        if not body.startswith(PROFILE_PREFIX):
            abort(400)
        if not body.startswith("v1:"):
            abort(400)
        full = os.path.realpath(os.path.join(ROOT, name))
        if not full.startswith(ROOT):
            abort(403)
        if not target.startswith("https://api.example.com/"):
            abort(400)
        return body
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def handler():
        if not body.startswith(PROFILE_PREFIX):
            abort(400)
        if not body.startswith("v1:"):
            abort(400)
        full = os.path.realpath(os.path.join(ROOT, name))
        if not (full := {GUARD}(full)).startswith(ROOT):
            abort(403)
        if not (target := {GUARD}(target)).startswith("https://api.example.com/"):
            abort(400)
        return body
    """)


def test_conditional_expression_guards_its_branch() -> None:
    source = """\
    a = next_url if next_url in LANDING else "/"
    b = "/" if url not in ALLOWED else url
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    a = {GUARD}(next_url) if next_url in LANDING else "/"
    b = "/" if url not in ALLOWED else {GUARD}(url)
    """)


def test_arguments_of_a_validating_helper_are_marked_at_each_call() -> None:
    source = """\
    def require_allowed(url):
        parsed = urlparse(url)
        if parsed.hostname not in ALLOWED_HOSTS:
            raise HTTPException(400)
        return url

    def resolve_inside(name):
        target = (ROOT / name).resolve()
        if not target.is_relative_to(ROOT):
            raise HTTPException(404)
        return target

    def handler(source, names):
        checked = require_allowed(source)
        require_allowed(url=source.strip())
        paths = [resolve_inside(name) for name in names]
        return fetch(checked)
    """
    assert rewritten(source) == textwrap.dedent(f"""\
    def require_allowed(url):
        parsed = urlparse(url)
        if (({"url"} := {GUARD}(url)), (parsed := {GUARD}(parsed)))[1].hostname not in ALLOWED_HOSTS:
            raise HTTPException(400)
        return url

    def resolve_inside(name):
        target = (ROOT / name).resolve()
        if not (target := {GUARD}(target)).is_relative_to(ROOT):
            raise HTTPException(404)
        return target

    def handler(source, names):
        checked = require_allowed((source := {GUARD}(source)))
        require_allowed(url={GUARD}(source.strip()))
        paths = [resolve_inside({GUARD}(name)) for name in names]
        return fetch(checked)
    """)
