"""The 2017 Alpes-Maritimes BarCamp, rebuilt through the API: its four topics as workshops.

Source: « Restitution des débats », BarCamp du Département des Alpes-Maritimes, semaine de
l'innovation publique, 20–26 novembre 2017 (/work/shared/seeds/003_3cf11ce1a2f0a797.txt).
The texts are the restitution's own (PDF line breaks joined); each workshop's cards are in the
restitution's order, proposals numbered #1, #2… as in the document.

`build_forum_2017(api, headers)` works with a Flask test client (`app.test_client()`) or, given
`base_url`, with a real server over HTTP (`requests`). Its signature and return shape are stable:
the restitution's export tests depend on them.
"""
from __future__ import annotations

C, Q, P, PI, CO, NE, IN = "constat", "questions", "propositions", "pistes", "conseils", "prochaine_etape", "indicateurs"

FORUM = {
    "title": "BarCamp de l'innovation publique — Alpes-Maritimes 2017",
    "starts_at": "2017-11-23T09:00:00+01:00",
    "place": "Nice, Centre administratif départemental",
    "description": "Open-innovation publique au service du développement durable, de l'innovation managériale "
                   "et de la relation service public/usager. Ce premier forum a été organisé dans le cadre de la "
                   "semaine de l'innovation publique, du 20 au 26 novembre 2017.",
    "themes": ["Développement durable", "Innovation managériale", "Relation service public/usager"],
}

#: (title, description, theme index, cards); a card is (section, text, gain, number)
WORKSHOPS = [
    (
        "Développement durable : comment passer à l’échelle ?",
        "Pourquoi le développement durable peine à intégrer les politiques publiques ?",
        0,
        [
            (C, "Pourquoi le développement durable peine à intégrer les politiques publiques ? Certes, nous "
                "constatons ici et là quelques petits pas… Il y a pourtant beaucoup d’initiatives et d’engagement "
                "portés par des citoyens mais le relais public peine cependant à émerger de manière durable : "
                "combien d’agendas 21 restés lettres mortes ?", None, None),
            (C, "Afin que le développement durable ne reste pas un discours sans action ou une communication "
                "culpabilisante sans impact il faut redonner à l’humain toute sa place.", None, None),
            (C, "Le Département est par nature une administration transversale, liée à son territoire, "
                "fédératrice. Il peut avoir une « force de frappe » pour sensibiliser sur les enjeux du "
                "développement durable, aux côtés d’autres acteurs. Mais pour cela, il doit être reconnu : "
                "l’éco-système engagé dans le développement durable doit le voir comme un partenaire crédible.",
             None, None),
            (Q, "Faut-il faire de chaque expérimentation réussie un « générique » à redéployer ? Ou les initiatives "
                "qui marchent ne sont-elles pas plutôt le fruit d’une relation entre les citoyens et leur "
                "environnement de proximité ; est-ce, dès lors, si aisément duplicable ?", None, None),
            (Q, "Que peut faire le Département ?", None, None),
            (P, "Le Département doit être engagé et exemplaire : il peut choisir de déployer des expérimentations, "
                "initialement portées par des citoyens et leurs associations, auprès de ses cibles privilégiées que "
                "sont ses agents publics, les collégiens des Alpes-Maritimes ou les usagers de ses services "
                "médico-sociaux.",
             "Montrer l’exemple, poursuivre la sensibilisation, mais aussi réceptionner les initiatives qu’il pourra "
             "valoriser à grande échelle pour faire progresser la connaissance de « ce qui marche ».", 1),
            (P, "Le Département doit faire un « bruit de fond continu » sur le développement durable. Il doit "
                "sensibiliser, sensibiliser et encore sensibiliser sur les enjeux.",
             "Faire évoluer les mentalités ; cette communication n’aura que plus d’impact si elle est complétée par "
             "des actions exemplaires (cf. #1) et la mise en lumière d’initiatives remarquables, petites ou "
             "grandes, portées par la société civile.", 2),
            (P, "Le Département peut favoriser la mise en réseau de ceux qui souhaitent agir : en soutenant ou "
                "organisant des événements permettant la rencontre, l’échange, la progression de la culture "
                "développement durable, en proposant un forum numérique également (plateforme).",
             "Tenir compte à la fois de la dimension participative de la société numérique et de l’information "
             "push que les réseaux sociaux ont développée.", 3),
        ],
    ),
    (
        "Vous avez dit : nouvelles organisations de travail ?",
        "Comment faire entrer le collaboratif dans les administrations perçues comme des modèles pyramidaux "
        "et cloisonnés ?",
        1,
        [
            (C, "Convaincus des impacts positifs sur l’organisation de l’engagement de chaque salarié ou agent "
                "public (en termes de motivation, d’efficacité et d’innovation), nous avons imaginé que le service "
                "public pouvait devenir une start-up géante !", None, None),
            (C, "Certes, il y aura de la résistance sur notre route : réduire les strates hiérarchiques c’est "
                "commencer par bousculer la pyramide, il faut faire face à la « peur du changement », imaginer de "
                "nouveaux modes de recrutement des managers (différent de l’avancement de carrière…).", None, None),
            (Q, "Comment faire entrer le collaboratif dans les administrations perçues comme des modèles "
                "pyramidaux et cloisonnés ?", None, None),
            (Q, "Est-il possible d’imaginer un management participatif, voire une « libération » des unités de "
                "travail dans le secteur public ?", None, None),
            (P, "Pour faciliter le travail collaboratif, réduire les strates hiérarchiques, donner plus de "
                "responsabilités aux agents publics, sans considération de grade, et libérer la parole. Car le "
                "collaboratif, ce n’est pas l’utilisation de plateformes techno… c’est un état d’esprit.",
             "Remettre au centre le sens du travail des agents publics : le Pourquoi et non plus le Comment.", 1),
            (P, "Aider le manager (et non plus le chef) à trouver un autre positionnement : valoriser les "
                "compétences et la recherche du résultat, l’initiative, l’implication d’une équipe.",
             "Se réinterroger chaque jour sur la valeur de ce que l’on produit.", 2),
            (PI, "Pour connaître les compétences et développer l’engagement : libérons la parole !", None, None),
            (PI, "N’ayons pas peur de nous ouvrir à la sphère privée.", None, None),
            (PI, "Développons la mobilité vers plusieurs métiers (la polyvalence est une compétence recherchée !).",
             None, None),
            (PI, "Favorisons le partage des connaissances et la transversalité dès que l’occasion se présente (même "
                 "sur des petits sujets).", None, None),
            (PI, "Sensibilisons et formons (sur les rôles comme sur les outils au service de la participation et la "
                 "collaboration).", None, None),
            (CO, "Trouver une organisation pour faire un « pilote », dans laquelle il existe un haut sponsor sur "
                 "cette ambition.", None, None),
            (CO, "Être très transparent sur les changements à venir en communiquant sur leur valeur ajoutée ; "
                 "former, accompagner et rassurer (bref être dans une relation participative et bienveillante : but "
                 "et moyen de ce projet finalement !).", None, None),
            (CO, "Soutenir la transformation sur la totalité de son cycle, conserver un feed-back permanent pour "
                 "réajuster… Cela est possible ! Certains l’ont fait.", None, None),
            (NE, "Comment avoir une gestion efficace des compétences internes et avoir le personnel qualifié au bon "
                 "endroit ? A priori, il y a des chances que ce nouveau modèle apporte en partie les solutions !",
             None, None),
        ],
    ),
    (
        "Faire participer l’usager/utilisateur/citoyen",
        "Les usagers du service public ne se sentent pas assez entendus.",
        2,
        [
            (C, "Les usagers du service public ne se sentent pas assez entendus. Cela provoque de la frustration, de "
                "l’insatisfaction, le sentiment que le service public n’est pas à la hauteur des attentes et des "
                "besoins réels.", None, None),
            (C, "Pourquoi ? Tout simplement parce que le service public ne met pas assez le citoyen/usager au cœur "
                "de ses réflexions et décisions. Le service public aujourd’hui décide à la place des usagers et lui "
                "impose une vision qui n’est pas forcément partagée.", None, None),
            (Q, "Faut-il se satisfaire de cette situation au risque d’entamer la légitimité du service public ?",
             None, None),
            (P, "Recenser les problèmes des usagers de façon ouverte : #plateforme en ligne, #enquête, #cahier de "
                "doléances… rappelez-vous, dans l’histoire de France, ce principe a déjà été appliqué !",
             "On va enfin prendre en compte les attentes des usagers/citoyens.", 1),
            (P, "Repérer les problèmes récurrents (par algorithmes « d’apprentissage profond », deep learning) et en "
                "faire une liste.", "Savoir quels problèmes reviennent le plus souvent.", 2),
            (P, "Laisser les usagers décider les problèmes à résoudre prioritairement #plateforme en ligne "
                "#événement.", "Les priorités sont celles des usagers.", 3),
            (P, "Laisser les usagers proposer des solutions avec les agents publics sur les problèmes prioritaires : "
                "ateliers de co-conception, co-création #faisabilité, #intelligence collective.",
             "Des solutions construites avec ceux qui les vivent.", 4),
            (P, "Identifier des indicateurs pour évaluer les solutions trouvées et renouveler l’opération "
                "#amélioration continue.", "Une amélioration continue du service.", 5),
            (PI, "Organiser et planifier le projet.", None, None),
            (PI, "Former une task force pour le conduire.", None, None),
            (PI, "Élaborer la stratégie de communication du projet : informer sur les phases de manière "
                 "transparente, indiquer le principe de financement dès le départ, communiquer sur les actions "
                 "retenues (par les usagers/citoyens) et sur les résultats des actions réalisées.", None, None),
            (IN, "Des indicateurs pour évaluer les solutions trouvées et renouveler l’opération.", None, None),
        ],
    ),
    (
        "La transition numérique : simplification ou fracture pour l’usager ?",
        "Le numérique, bien souvent, c’est le parcours du combattant !",
        2,
        [
            (C, "Le numérique, bien souvent, c’est le parcours du combattant !", None, None),
            (C, "Un usager du service social : « Bonjour Madame, j’ai besoin que vous m’aidiez… ». L’assistante "
                "sociale : « Oui, bien sûr, mais dans votre situation il faut aller sur votre compte CAF, je ne peux "
                "le faire depuis mon poste. Allez à la médiathèque ». Un peu plus tard à la médiathèque… L’agent "
                "d’accueil : « Désolé Madame, allez voir votre assistante sociale… »", None, None),
            (P, "Créer le SANU : service d’assistance numérique d’urgence.",
             "Un accès plus rapide aux droits.", 1),
            (PI, "Une borne numérique avec un tutoriel pour répondre aux principales situations.", None, None),
            (PI, "Une personne qui joue le rôle de médiateur numérique.", None, None),
            (PI, "La possibilité de se mettre en relation avec des usagers plus expérimentés pour obtenir de l’aide.",
             None, None),
            (PI, "Des « Numéric Cafés » pour discuter et comprendre le numérique, dans toutes ses dimensions et dans "
                 "une ambiance conviviale et bienveillante.", None, None),
            (PI, "Pouvoir contacter le SANU depuis chez soi.", None, None),
            (CO, "Disposer des retours d’usage qui serviront à améliorer le service (borne, plateforme "
                 "téléphonique…).", None, None),
            (CO, "Mobiliser les ressources nécessaires : professionnels de la médiation numérique, travailleurs "
                 "sociaux, partenaires, et produire les supports requis (borne, tutoriel, plateforme "
                 "téléphonique).", None, None),
            (NE, "Expérimenter sur un territoire pilote : le territoire 2 par exemple (Cannes, Le Cannet, "
                 "La Roquette, Mougins, Mouans-Sartoux et Mandelieu).", None, None),
        ],
    ),
]

#: dots the three participants put on proposals: (workshop index, proposal number, dots) per participant
DOTS = [
    [(0, 1, 2), (1, 1, 1), (2, 1, 2), (2, 4, 1), (3, 1, 2)],
    [(0, 1, 1), (0, 3, 2), (1, 2, 2), (2, 4, 2), (3, 1, 1)],
    [(0, 2, 1), (1, 1, 2), (2, 1, 1), (2, 5, 1), (3, 1, 2)],
]

#: forum votes (dots 3, at most 2 per topic) of the three participants, by topic index
VOTES = [[(0, 2), (2, 1)], [(2, 2), (3, 1)], [(1, 1), (2, 1), (3, 1)]]


class _Http:
    """The test client's call shape over a real server."""

    def __init__(self, base_url: str):
        import requests

        self.session = requests.Session()
        self.base_url = base_url.rstrip("/")

    def open(self, method: str, path: str, json=None, headers=None):
        response = self.session.request(method, self.base_url + path, json=json, headers=headers, timeout=30)
        response.get_json = response.json
        return response


def _call(api, method: str, path: str, json=None, headers=None, expect: int = 200) -> dict:
    if isinstance(api, _Http):
        response = api.open(method, path, json=json, headers=headers)
    else:
        response = api.open(path, method=method, json=json, headers=headers)
    body = response.get_json()
    assert response.status_code == expect, (method, path, response.status_code, body)
    return body


def build_forum_2017(api, headers: dict, *, base_url: str | None = None, participants: int = 3,
                     phase: str = "workshops") -> dict:
    """Create the 2017 forum through the API; return its ids.

    api: a Flask test client (or None with base_url: a real server over HTTP).
    headers: the organiser's Authorization header.
    Returns {"event_id", "join_code", "proposal_ids": [4 ids], "participants": [{"id", "token", "headers"}],
    "workshops": [{"id", "title", "proposal_id", "cards": [card ids in WORKSHOPS order],
    "numbers": {number: card id}}]}. The forum ends in the `workshops` phase (or `phase`, one of
    "closed" / "workshops") with its votes and dots cast.
    """
    if base_url is not None:
        api = _Http(base_url)
    event = _call(api, "POST", "/api/v1/events", FORUM, headers, 201)
    eid = event["id"]
    _call(api, "PUT", f"/api/v1/events/{eid}/phase", {"phase": "proposals"}, headers)
    themes = [t["id"] for t in event["themes"]]
    proposal_ids = []
    for title, description, theme, _cards in WORKSHOPS:
        proposal = _call(api, "POST", f"/api/v1/events/{eid}/proposals",
                         {"title": title, "description": description, "theme_id": themes[theme]}, headers, 201)
        proposal_ids.append(proposal["id"])
    people = []
    for index in range(participants):
        joined = _call(api, "POST", "/api/v1/join", {"code": event["join_code"], "name": f"BarCampeur {index + 1}"},
                       None, 201)
        people.append({"id": joined["participant_id"], "token": joined["token"],
                       "headers": {"Authorization": f"Bearer {joined['token']}"}})
    _call(api, "PUT", f"/api/v1/events/{eid}/phase", {"phase": "voting"}, headers)
    for person, votes in zip(people, VOTES):
        for topic, value in votes:
            _call(api, "PUT", f"/api/v1/events/{eid}/votes/{proposal_ids[topic]}", {"value": value},
                  person["headers"])
    _call(api, "PUT", f"/api/v1/events/{eid}/phase", {"phase": "closed"}, headers)
    workshops = []
    for (title, description, _theme, cards), pid in zip(WORKSHOPS, proposal_ids):
        workshop = _call(api, "POST", f"/api/v1/events/{eid}/workshops",
                         {"title": title, "description": description, "proposal_ids": [pid]}, headers, 201)
        wid = workshop["id"]
        ids, numbers = [], {}
        for section, text, gain, number in cards:
            body = {"section": section, "text": text}
            if gain:
                body["gain"] = gain
            card = _call(api, "POST", f"/api/v1/workshops/{wid}/cards", body, headers, 201)
            if number is not None:
                card = _call(api, "PATCH", f"/api/v1/workshops/{wid}/cards/{card['id']}",
                             {"version": card["version"], "number": number}, headers)
                numbers[number] = card["id"]
            ids.append(card["id"])
        workshops.append({"id": wid, "title": title, "proposal_id": pid, "cards": ids, "numbers": numbers})
    if phase == "workshops":
        _call(api, "PUT", f"/api/v1/events/{eid}/phase", {"phase": "workshops"}, headers)
        for person, dots in zip(people, DOTS):
            for windex, number, value in dots:
                w = workshops[windex]
                _call(api, "PUT", f"/api/v1/workshops/{w['id']}/dots/{w['numbers'][number]}", {"value": value},
                      person["headers"])
    return {"event_id": eid, "join_code": event["join_code"], "proposal_ids": proposal_ids, "participants": people,
            "workshops": workshops}


def expected_dots() -> dict[tuple[int, int], int]:
    """Total dots per (workshop index, proposal number) after build_forum_2017."""
    totals: dict[tuple[int, int], int] = {}
    for dots in DOTS[:3]:
        for windex, number, value in dots:
            totals[(windex, number)] = totals.get((windex, number), 0) + value
    return totals

