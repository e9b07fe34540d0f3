"""The Python pre-pass marks user input that reaches a helper, an attribute or a return of the same file."""

from __future__ import annotations

import textwrap

from bastion.agent.engines.prepass import INPUT, prepare


def rewritten(source: str) -> str:
    """Return the prepared source, checking that every line stayed where it was."""
    source = textwrap.dedent(source)
    result = prepare(source)
    assert result.count("\n") == source.count("\n")
    return result


def expected(source: str) -> str:
    """Return the expected output, written with ``I(`` for the input marker."""
    return textwrap.dedent(source).replace("I(", INPUT + "(")


def test_marker_is_the_input_source_name() -> None:
    assert INPUT == "__bastion_input__"


def test_helper_parameter_given_request_data_is_marked() -> None:
    source = """\
    def fetch(url):
        return http.get(url)

    @app.get("/preview")
    def preview():
        return fetch(request.args["url"])
    """
    assert rewritten(source) == expected("""\
    def fetch(url):
        return http.get(I(url))

    @app.get("/preview")
    def preview():
        return fetch(request.args["url"])
    """)


def test_route_parameter_reaches_two_helpers_in_a_chain() -> None:
    source = """\
    def note(name: str) -> str:
        return banner(name.title())

    def banner(text):
        return Markup("<b>" + text + "</b>")

    @app.route("/hello/<name>")
    def hello(name):
        return note(name)
    """
    assert rewritten(source) == expected("""\
    def note(name: str) -> str:
        return banner(I(name).title())

    def banner(text):
        return Markup("<b>" + I(text) + "</b>")

    @app.route("/hello/<name>")
    def hello(name):
        return note(name)
    """)


def test_method_called_through_self_is_marked() -> None:
    source = """\
    class Importer:
        def run(self):
            self.parse(request.data)

        def parse(self, body):
            return etree.fromstring(body)
    """
    assert rewritten(source) == expected("""\
    class Importer:
        def run(self):
            self.parse(request.data)

        def parse(self, body):
            return etree.fromstring(I(body))
    """)


def test_instance_attribute_set_in_one_method_is_marked_where_another_reads_it() -> None:
    source = """\
    class Search:
        def load(self):
            self.term = request.args.get("q")

        def run(self):
            return cursor.execute("SELECT * FROM t WHERE a = '" + self.term + "'")
    """
    assert rewritten(source) == expected("""\
    class Search:
        def load(self):
            self.term = request.args.get("q")

        def run(self):
            return cursor.execute("SELECT * FROM t WHERE a = '" + I(self.term) + "'")
    """)


def test_attribute_set_on_an_instance_taints_the_class_attribute() -> None:
    source = """\
    class Store:
        login = ""

        def exists(self):
            return tree.xpath("//a[@l='" + self.login + "']")

    def view(request):
        store = Store()
        store.login = request.GET["login"]
        return store.exists()
    """
    assert rewritten(source) == expected("""\
    class Store:
        login = ""

        def exists(self):
            return tree.xpath("//a[@l='" + I(self.login) + "']")

    def view(request):
        store = Store()
        store.login = request.GET["login"]
        return I(store.exists())
    """)


def test_dataclass_field_given_by_keyword_is_marked_where_it_is_read() -> None:
    source = """\
    @dataclass
    class Job:
        account_id: int
        source_url: str

    def download(job: Job):
        return httpx.get(job.source_url)

    def start():
        job = Job(account_id=request.json["id"], source_url=request.json["url"])
        return download(job)
    """
    assert rewritten(source) == expected("""\
    @dataclass
    class Job:
        account_id: int
        source_url: str

    def download(job: Job):
        return httpx.get(I(I(job).source_url))

    def start():
        job = Job(account_id=request.json["id"], source_url=request.json["url"])
        return I(download(job))
    """)


def test_constructor_arguments_reach_the_initialiser_and_its_attributes() -> None:
    source = """\
    class Flow:
        def __init__(self, target):
            self.target = target

        def go(self):
            return redirect(self.target)

    @app.get("/next")
    def follow(target):
        return Flow(target).go()
    """
    assert rewritten(source) == expected("""\
    class Flow:
        def __init__(self, target):
            self.target = I(target)

        def go(self):
            return redirect(I(self.target))

    @app.get("/next")
    def follow(target):
        return Flow(target).go()
    """)


def test_value_stored_in_an_attribute_container_taints_the_attribute() -> None:
    source = """\
    class Settings:
        def remember(self, text):
            self.store.set("signature", "text", text)

        def text(self):
            return self.store.get("signature", "text")

    def preview():
        settings = Settings()
        settings.remember(request.form["signature"])
        return HTMLResponse(settings.text())
    """
    assert rewritten(source) == expected("""\
    class Settings:
        def remember(self, text):
            I(self.store).set("signature", "text", I(text))

        def text(self):
            return I(self.store).get("signature", "text")

    def preview():
        settings = Settings()
        settings.remember(request.form["signature"])
        return HTMLResponse(I(settings.text()))
    """)


def test_classmethod_building_the_instance_from_the_request_taints_its_fields() -> None:
    source = """\
    @dataclass
    class Search:
        term: str

        @classmethod
        def from_request(cls, req):
            return cls(term=req.args["term"])

        def sql(self):
            return "SELECT * FROM t WHERE a = '" + self.term + "'"

    def view():
        return cursor.execute(Search.from_request(request).sql())
    """
    assert rewritten(source) == expected("""\
    @dataclass
    class Search:
        term: str

        @classmethod
        def from_request(cls, req):
            return cls(term=req.args["term"])

        def sql(self):
            return "SELECT * FROM t WHERE a = '" + I(self.term) + "'"

    def view():
        return cursor.execute(I(Search.from_request(request)).sql())
    """)


def test_names_a_comprehension_or_lambda_binds_are_its_own() -> None:
    source = """\
    def show(name, names):
        rows = [name.upper() for name in names]
        key = sorted(rows, key=lambda name: name.lower())
        return Markup(name + ",".join(rows))

    def view():
        return show(request.args["name"], [])
    """
    assert rewritten(source) == expected("""\
    def show(name, names):
        rows = [name.upper() for name in names]
        key = sorted(rows, key=lambda name: name.lower())
        return Markup(I(name) + ",".join(rows))

    def view():
        return show(request.args["name"], [])
    """)


def test_call_of_a_function_returning_request_data_is_marked() -> None:
    source = """\
    def wanted_host():
        return request.headers.get("X-Host", "")

    def ping():
        subprocess.run("ping " + wanted_host(), shell=True)
    """
    assert rewritten(source) == expected("""\
    def wanted_host():
        return request.headers.get("X-Host", "")

    def ping():
        subprocess.run("ping " + I(wanted_host()), shell=True)
    """)


def test_sanitised_argument_does_not_taint_the_helper() -> None:
    source = """\
    def show(name):
        return Markup("<b>" + name + "</b>")

    def page():
        return show(html.escape(request.args["name"]))

    def count(limit):
        return cursor.execute("SELECT * FROM t LIMIT " + limit)

    def listing():
        return count(int(request.args["limit"]))
    """
    assert rewritten(source) == textwrap.dedent(source)


def test_guard_in_the_helper_ends_the_taint() -> None:
    source = """\
    def go(target):
        try:
            if target not in ALLOWED:
                abort(400)
        finally:
            log(target)
        return redirect(target)

    def view():
        return go(request.args["next"])
    """
    assert rewritten(source) == expected("""\
    def go(target):
        try:
            if (target := __bastion_guard__(I(target))) not in ALLOWED:
                abort(400)
        finally:
            log(target)
        return redirect(target)

    def view():
        return go(request.args["next"])
    """)


def test_helper_that_validates_its_parameter_is_not_marked() -> None:
    source = """\
    def go(target):
        if target not in ALLOWED:
            abort(400)
        return redirect(target)

    def view():
        return go(request.args["next"])
    """
    assert rewritten(source) == textwrap.dedent("""\
    def go(target):
        if (target := __bastion_guard__(target)) not in ALLOWED:
            abort(400)
        return redirect(target)

    def view():
        return go(__bastion_guard__(request.args["next"]))
    """)


def test_rebinding_the_parameter_stops_the_marking() -> None:
    source = """\
    def load(path):
        path = path.strip()
        path = "reports/summary.txt"
        return open(path)

    def view():
        return load(request.args["path"])
    """
    assert rewritten(source) == expected("""\
    def load(path):
        path = I(path).strip()
        path = "reports/summary.txt"
        return open(path)

    def view():
        return load(request.args["path"])
    """)


def test_value_of_a_constant_table_is_not_user_input() -> None:
    source = """\
    def status(host):
        return HTTPSConnection(host)

    @app.get("/mirrors/<key>")
    def mirror(key):
        return status(MIRRORS[key])
    """
    assert rewritten(source) == textwrap.dedent(source)


def test_number_parameter_and_dependency_are_not_input() -> None:
    source = """\
    def show(count: int, session):
        return session.execute("SELECT " + count)

    @app.get("/items")
    def items(limit: int, db: Session = Depends(get_db)):
        return show(limit, db)
    """
    assert rewritten(source) == textwrap.dedent(source)


def test_decorators_targets_and_called_names_are_never_marked() -> None:
    source = """\
    def apply(handler, items, key):
        items[key] = 1
        del items
        return handler(key)

    @app.post("/apply")
    def view(handler, items, key):
        return apply(handler, items, key)
    """
    assert rewritten(source) == expected("""\
    def apply(handler, items, key):
        items[I(key)] = 1
        del items
        return handler(I(key))

    @app.post("/apply")
    def view(handler, items, key):
        return apply(handler, items, key)
    """)


def test_multi_line_call_keeps_every_line_in_place() -> None:
    source = """\
    def run(command):
        return subprocess.run(
            command,
            shell=True,
        )

    def view():
        run(
            request.form["command"],
        )
    """
    assert rewritten(source) == expected("""\
    def run(command):
        return subprocess.run(
            I(command),
            shell=True,
        )

    def view():
        run(
            request.form["command"],
        )
    """)


def test_file_without_same_file_flows_is_unchanged() -> None:
    source = """\
    def helper(value):
        return value.upper()

    def view():
        return helper("constant")
    """
    assert rewritten(source) == textwrap.dedent(source)
