# ruff: noqa
# Test target for xxe.yaml: request XML parsed with external entities enabled.
import xml.dom.minidom
import xml.dom.pulldom
import xml.etree.ElementTree as ElementTree
import xml.sax
from xml.sax.handler import ContentHandler, feature_external_ges

import defusedxml.ElementTree
from lxml import etree
from flask import Flask, request

app = Flask(__name__)
RESOLVING = etree.XMLParser(resolve_entities=True)


@app.route("/import", methods=["POST"])
def import_xml():
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True)
    # ruleid: bastion.python.xxe
    document = etree.fromstring(request.data, parser)
    return document.findtext("name")


@app.route("/feed", methods=["POST"])
def feed():
    upload = request.files["feed"]
    # ruleid: bastion.python.xxe
    tree = etree.parse(upload, parser=etree.XMLParser(no_network=False))
    return tree.getroot().tag


@app.route("/module-parser", methods=["POST"])
def module_parser():
    # ruleid: bastion.python.xxe
    root = etree.XML(request.get_data(), RESOLVING)
    return root.tag


@app.route("/sax", methods=["POST"])
def sax_import():
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(ContentHandler())
    # ruleid: bastion.python.xxe
    parser.parse(request.files["document"])
    return "ok"


@app.route("/pulldom", methods=["POST"])
def pulldom_import():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    # ruleid: bastion.python.xxe
    events = xml.dom.pulldom.parseString(request.data.decode(), parser)
    return str(sum(1 for _ in events))


@app.route("/safe", methods=["POST"])
def safe_import():
    body = request.data
    # ok: bastion.python.xxe
    plain = etree.fromstring(body)
    # ok: bastion.python.xxe
    hardened = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    # ok: bastion.python.xxe
    standard = ElementTree.fromstring(body)
    # ok: bastion.python.xxe
    minidom = xml.dom.minidom.parseString(body)
    # ok: bastion.python.xxe
    defused = defusedxml.ElementTree.fromstring(body)
    # ruleid: bastion.python.xxe
    events = xml.dom.pulldom.parseString(body.decode())
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, False)
    # ok: bastion.python.xxe
    parser.parse(request.files["document"])
    return str((plain, hardened, standard, minidom, defused, events))


@app.route("/local", methods=["POST"])
def local_template():
    parser = etree.XMLParser(resolve_entities=True)
    # ok: bastion.python.xxe
    return etree.parse("/srv/templates/base.xml", parser).getroot().tag
