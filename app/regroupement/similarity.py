"""Similar topics: TF-IDF over character n-grams of normalised French titles (scikit-learn).

Why this method (measured in docs/regroupement.md): on our fixture of French near-duplicates it
matched rapidfuzz's token_set_ratio on recall and beat it on precision, and its good thresholds
form a wide band, so the organiser's threshold slider is forgiving. Character n-grams within
words ("char_wb") absorb typos, word endings (dématérialisation / dématérialiser) and word order;
`barcamp.regroupement.text.normalise` first removes accents, elisions, stop words and plurals, which
the IDF weights alone cannot learn from the handful of topics a small forum has.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from barcamp.regroupement.text import normalise

#: suggestions while a participant types a title: showing a candidate costs little
SUGGEST_THRESHOLD = 0.4
#: default threshold of the organiser's groups (the organiser can move it)
GROUP_THRESHOLD = 0.55
NGRAM_RANGE = (3, 5)


@dataclass(frozen=True)
class Topic:
    id: int
    title: str


def _vectorizer():
    import numpy as np
    from sklearn.feature_extraction.text import (
        TfidfVectorizer,  # imported on first use: start-up stays fast
    )

    return TfidfVectorizer(analyzer="char_wb", ngram_range=NGRAM_RANGE, sublinear_tf=True, dtype=np.float32)


def _texts(titles: Sequence[str]) -> list[str]:
    # A title made only of stop words ("Et nous ?") keeps its raw letters rather than nothing.
    return [normalise(t) or t.casefold() for t in titles]


def pair_score(a: str, b: str, corpus: Sequence[str] = ()) -> float:
    """Similarity of two titles in [0, 1], IDF weights learnt from `corpus` (and the two titles)."""
    texts = _texts([a, b, *corpus])
    matrix = _vectorizer().fit_transform(texts)
    return float((matrix[0] @ matrix[1].T).toarray()[0, 0])


def similar_to(text: str, topics: Sequence[Topic], *, limit: int = 5,
               threshold: float = SUGGEST_THRESHOLD) -> list[tuple[Topic, float]]:
    """The topics most similar to `text`, best first, at most `limit`, each scoring ≥ threshold."""
    if not topics or not normalise(text):
        return []
    texts = _texts([text, *(t.title for t in topics)])
    matrix = _vectorizer().fit_transform(texts)  # rows are L2-normalised: dot product = cosine
    scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
    ranked = sorted(((float(s), i) for i, s in enumerate(scores) if s >= threshold), key=lambda x: (-x[0], x[1]))
    return [(topics[i], round(s, 3)) for s, i in ranked[:limit]]


def similarity_matrix(topics: Sequence[Topic]):
    """The dense cosine matrix of the topics' titles (numpy array, n × n)."""
    matrix = _vectorizer().fit_transform(_texts([t.title for t in topics]))
    return (matrix @ matrix.T).toarray()


def group_similar(topics: Sequence[Topic], threshold: float = GROUP_THRESHOLD) -> list[list[tuple[Topic, float]]]:
    """Groups of at least two similar topics, by average-linkage clustering cut at `threshold`.

    Average linkage rather than "connected pairs": a chain A~B~C whose ends are unrelated does not
    become one group. Each topic comes with its mean similarity to the rest of its group; groups
    are sorted by size, then cohesion.
    """
    if len(topics) < 2:
        return []
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    similarity = similarity_matrix(topics)
    distance = np.clip(1.0 - similarity, 0.0, 1.0)
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    ).fit_predict(distance)
    members: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(int(label), []).append(index)
    groups = []
    for indexes in members.values():
        if len(indexes) < 2:
            continue
        block = similarity[np.ix_(indexes, indexes)]
        cohesion = (block.sum(axis=1) - 1.0) / (len(indexes) - 1)
        groups.append([(topics[i], round(float(c), 3)) for i, c in zip(indexes, cohesion)])
    groups.sort(key=lambda g: (-len(g), -sum(c for _, c in g) / len(g), g[0][0].id))
    return groups
