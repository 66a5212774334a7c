"""PyTorch worker of the Recur benchmark harness (tools/bench).

Speaks the harness's worker protocol as JSON lines on stdin/stdout: a `setup` message with the
workload's data (generated once by the harness), then `run` messages, each answered with the
seconds of every timed call, `memory`, answered with the current RSS (after gc.collect()), and
`exit`, answered with the peak RSS. One thread (torch.set_num_threads(1)). The models follow workloads.md;
PyTorch keeps its two LSTM bias vectors.
"""

import gc
import json
import os
import resource
import sys
import time

import torch
from torch import nn

STREAM_STEPS_PER_CALL = 100
STREAM_VECTORS = 1000


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class LastStep(nn.Module):
    """Embedding (optional) -> LSTM -> Dense on the last step; returns logits or values."""

    def __init__(self, input_size, units, outputs, vocab=None):
        super().__init__()
        self.embedding = nn.Embedding(vocab, input_size) if vocab else None
        self.lstm = nn.LSTM(input_size, units, batch_first=True)
        self.dense = nn.Linear(units, outputs)

    def forward(self, x):
        if self.embedding is not None:
            x = self.embedding(x)
        _, (h, _) = self.lstm(x)
        return self.dense(h[-1])


class Workload:
    """One workload's model, loss, optimizer and data; call(metric) is one timed unit."""

    def __init__(self, name, data):
        self.name = name
        x = data["x"]
        dtype = torch.int64 if x["dtype"] == "int32" else torch.float32
        self.x = torch.tensor(x["values"], dtype=dtype).reshape(x["shape"])
        if name == "stream":
            self.first = nn.LSTM(64, 256)
            self.second = nn.LSTM(256, 256)
            zeros = lambda: torch.zeros(1, 1, 256)
            self.state = [(zeros(), zeros()), (zeros(), zeros())]
            self.k = 0
            return
        y = data["y"]
        self.y = torch.tensor(y["values"], dtype=torch.float32).reshape(y["shape"])
        if name == "charlm":
            self.model = LastStep(64, 128, 64)
            self.activation = lambda logits: torch.softmax(logits, dim=-1)
            # Cross-entropy on class ids equals categorical cross-entropy on the one-hot targets.
            labels = torch.tensor(data["labels"], dtype=torch.int64)
            ce = nn.CrossEntropyLoss()
            self.loss = lambda logits: ce(logits, labels)
            self.optimizer = torch.optim.RMSprop(self.model.parameters(), lr=0.01, alpha=0.9, eps=1e-7)
        elif name == "sentiment":
            self.model = LastStep(128, 128, 1, vocab=20000)
            self.activation = torch.sigmoid
            bce = nn.BCEWithLogitsLoss()
            self.loss = lambda logits: bce(logits, self.y)
            self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
        elif name == "timeseries":
            self.model = LastStep(1, 50, 1)
            self.activation = lambda values: values
            mse = nn.MSELoss()
            self.loss = lambda values: mse(values, self.y)
            self.optimizer = torch.optim.Adam(self.model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-7)
        else:
            raise ValueError("unknown workload " + name)

    def call(self, metric):
        if metric == "train":
            self.optimizer.zero_grad()
            loss = self.loss(self.model(self.x))
            loss.backward()
            self.optimizer.step()
            loss.item()
        elif metric == "infer":
            with torch.inference_mode():
                self.activation(self.model(self.x)).numpy()
        else:
            with torch.inference_mode():
                for _ in range(STREAM_STEPS_PER_CALL):
                    step = self.x[self.k].reshape(1, 1, 64)
                    out, first = self.first(step, self.state[0])
                    out, second = self.second(out, self.state[1])
                    self.state = [first, second]
                    out.numpy()
                    self.k = (self.k + 1) % STREAM_VECTORS


def current_rss_mb():
    """The resident set now (not the peak): field 2 of /proc/self/statm, in pages."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main():
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    workload = None
    for line in sys.stdin:
        message = json.loads(line)
        try:
            if message["type"] == "setup":
                torch.manual_seed(42)
                workload = Workload(message["workload"], message["data"])
                send({"type": "ready", "unsupported": {}})
            elif message["type"] == "run":
                seconds = []
                for _ in range(message["calls"]):
                    start = time.perf_counter()
                    workload.call(message["metric"])
                    seconds.append(time.perf_counter() - start)
                send({"type": "times", "seconds": seconds})
            elif message["type"] == "memory":
                gc.collect()
                send({"type": "memory", "rssMb": current_rss_mb()})
            elif message["type"] == "exit":
                send({"type": "bye", "maxRssKilobytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss})
                return
        except Exception as error:  # reported to the harness, which records the failure
            send({"type": "failed", "message": f"{type(error).__name__}: {error}"})


if __name__ == "__main__":
    main()
