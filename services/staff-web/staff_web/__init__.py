"""The staff web app: server-rendered pages over the five services' HTTP APIs."""
