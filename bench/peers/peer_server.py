"""The GL export as the brief's own stack would serve it: FastAPI + uvicorn + orjson, the same
window held in memory (parsed lines grouped by posting date), re-serialized per request.

Run by `npm run bench -- peers`: PEER_NDJSON=<file> python -m uvicorn peer_server:app --port N
"""

import os
from collections import defaultdict
from contextlib import asynccontextmanager

import orjson
from fastapi import FastAPI
from fastapi.responses import StreamingResponse

LINES_BY_DAY: dict[str, list[dict]] = defaultdict(list)


@asynccontextmanager
async def lifespan(_app: FastAPI):
    with open(os.environ["PEER_NDJSON"], "rb") as source:
        for raw in source:
            line = orjson.loads(raw)
            LINES_BY_DAY[line["posting_date"]].append(line)
    yield


app = FastAPI(lifespan=lifespan)


@app.get("/health")
def health() -> dict:
    return {"status": "ok", "days": len(LINES_BY_DAY)}


@app.get("/v1/gl/entries")
def entries(start: str, end: str) -> StreamingResponse:
    days = sorted(day for day in LINES_BY_DAY if start <= day <= end)

    def body():
        # One chunk per day, like the service: orjson per line, joined once.
        for day in days:
            yield b"\n".join(map(orjson.dumps, LINES_BY_DAY[day])) + b"\n"

    return StreamingResponse(body(), media_type="application/x-ndjson")
