def test_urls(extract_text):
    r = extract_text(
        "# Links\n\nSee <https://ExamHub.EU/> and www.greenbuild.eu/outputs, or greenbuild.eu/outputs; "
        "also [the site](https://povewater.eu/about). Mail info@data2work.eu or h.brandt@retrofit.eu. "
        "Files: report.pdf and main.py.\n\n"
        "More at https://www.example.eu/projects/\nresults.html today.\n")
    urls = [(u.url, u.domain) for u in r.urls]
    assert urls == [
        ("https://examhub.eu/", "examhub.eu"),
        ("www.greenbuild.eu/outputs", "greenbuild.eu"),
        ("https://povewater.eu/about", "povewater.eu"),
        ("https://www.example.eu/projects/results.html", "example.eu"),
    ]
    assert [u.mentions for u in r.urls] == [1, 2, 1, 1]


def test_project_list_with_urls_and_aliases(extract_text):
    r = extract_text(
        "# Cluster\n\nThe following projects were presented:\n\n"
        "- AQUA4ALL: Water for all farms <https://aqua4all.eu/>\n"
        "- Green Skills Lab (GSL) – training hubs (www.gsl-project.eu)\n"
        "- bluefin: Aquaculture skills\n\n"
        "The AQUA4ALL project also met Erasmus+ officers. **NETWORK MAP**: a map of partners.\n")
    rows = [(p.project_id, p.name, p.description, p.url, p.mentions) for p in r.projects]
    assert rows == [
        ("aqua4all", "AQUA4ALL", "Water for all farms", "https://aqua4all.eu/", 2),
        ("gsl", "GSL", "training hubs", "www.gsl-project.eu", 1),
        ("bluefin", "bluefin", "Aquaculture skills", None, 1),
    ]
    assert r.projects[1].aliases == ["Green Skills Lab"]
    owners = {u.url: u.project_id for u in r.urls}
    assert owners == {"https://aqua4all.eu/": "aqua4all", "www.gsl-project.eu": "gsl"}


def test_project_patterns_need_context_for_acronyms(extract_text):
    r = extract_text(
        "# Notes\n\nVocational Education and Training (VET) matters. The Smart Water Grid (SWAG) project "
        "started; it is funded by Horizon Europe. Publish project results. Le projet was not mentioned.\n")
    assert [(p.name, p.aliases) for p in r.projects] == [("SWAG", ["Smart Water Grid"])]


def test_french_project(extract_text):
    r = extract_text("# Atelier\n\nLe projet TerraSol a été présenté par la région. Il faut agir vite.\n", name="fr.md")
    assert [p.name for p in r.projects] == ["TerraSol"]


def test_recommendations(extract_text):
    r = extract_text(
        "# Workshop\n\nThe agenda was:\n\n- Welcome\n- Panel\n\n"
        "The main recommendations are:\n\n- Create a fund for rural schools\n- 1. Share data openly\n\n"
        "It was stressed that Member States should fund teacher training (see annex). "
        "It should be noted that the call for proposals closes soon. Should we wait?\n\n"
        "## Next steps\n\n- Draft the roadmap by June\n")
    assert [(x.text, x.kind) for x in r.recommendations] == [
        ("Create a fund for rural schools", "list"),
        ("Share data openly", "list"),
        ("Member States should fund teacher training", "sentence"),
        ("Draft the roadmap by June", "list"),
    ]


def test_french_recommendations(extract_text):
    r = extract_text(
        "# Compte rendu\n\nLes participants ont proposé les pistes suivantes :\n\n"
        "- Renforcer la formation des agriculteurs\n- Mutualiser les outils de mesure\n\n"
        "Il convient de mieux associer les communes. Les régions doivent financer les diagnostics.\n",
        name="fr.md")
    assert [x.text for x in r.recommendations] == [
        "Renforcer la formation des agriculteurs", "Mutualiser les outils de mesure",
        "Il convient de mieux associer les communes.", "Les régions doivent financer les diagnostics.",
    ]
