def test_openapi_lists_the_join_endpoint(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"] == "3.1.0"
    assert "post" in doc["paths"]["/api/v1/join"]
