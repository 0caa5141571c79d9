"""The GL lines loaded the way a dlt user would: a resource reading the NDJSON export, the
postgres destination with its fastest loader (CSV files through COPY). Prints one JSON line:
rows and seconds of pipeline.run (extract + normalize + load).

Usage: python dlt_load.py <ndjson file> <postgresql url> <dataset name> <pipelines dir>
"""

import json
import sys
import time

import dlt
import orjson

BATCH = 10_000


def main() -> None:
    path, url, dataset, pipelines_dir = sys.argv[1:5]

    @dlt.resource(name="gl_lines", write_disposition="append")
    def gl_lines():
        batch = []
        with open(path, "rb") as source:
            for raw in source:
                batch.append(orjson.loads(raw))
                if len(batch) >= BATCH:
                    yield batch
                    batch = []
        if batch:
            yield batch

    pipeline = dlt.pipeline(
        pipeline_name=dataset,
        destination=dlt.destinations.postgres(credentials=url),
        dataset_name=dataset,
        pipelines_dir=pipelines_dir,
    )
    started = time.perf_counter()
    info = pipeline.run(gl_lines(), loader_file_format="csv")
    seconds = time.perf_counter() - started
    info.raise_on_failed_jobs()
    with pipeline.sql_client() as client:
        rows = client.execute_sql(f"SELECT count(*) FROM {dataset}.gl_lines")[0][0]
    print(json.dumps({"rows": rows, "seconds": seconds, "dlt": dlt.__version__}))


if __name__ == "__main__":
    main()
