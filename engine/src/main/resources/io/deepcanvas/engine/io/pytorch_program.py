# @HEADER@
import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as missing:
    sys.exit(f"{os.path.basename(__file__)}: this program needs PyTorch ({missing}): pip install torch, or on Debian "
             "apt-get install python3-torch")


# @NET@


# @RECIPE@


# ---- MNIST from its four IDX files, as DeepCanvas reads them (no torchvision needed) ------------------------------

MNIST_FILES = {True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
               False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}


class UsageError(Exception):
    """A problem the user can fix (a missing file, a bad option): printed as one line, exit code 2."""


def data_folder(given):
    """--data, else $DEEPCANVAS_DATA, else an mnist/ folder beside this script, else where the project read MNIST."""
    if given:
        return given
    if os.environ.get("DEEPCANVAS_DATA"):
        return os.environ["DEEPCANVAS_DATA"]
    beside = os.path.join(HERE, "mnist")
    if os.path.isdir(beside) or not DATA_DIR:
        return beside
    return DATA_DIR


def find_idx(folder, name):
    """The file for name: name.gz, name, or the spelling with a dot (train-images.idx3-ubyte), gzipped or not."""
    alt = name.replace("-idx", ".idx")
    for candidate in (name + ".gz", name, alt + ".gz", alt):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    raise UsageError(f"MNIST file missing: {os.path.join(folder, name + '.gz')} does not exist. The folder needs "
                     f"train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and "
                     f"t10k-labels-idx1-ubyte (gzipped or not): give it with --data DIR")


def read_idx(path, magic):
    """The raw bytes and dimensions of an IDX file (magic 2051: images, 2049: labels)."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as e:
        raise UsageError(f"{path} is corrupt ({e}): copy the MNIST file again") from e
    if len(data) < 8 or struct.unpack(">I", data[:4])[0] != magic:
        raise UsageError(f"{path} is not an MNIST IDX file (expected magic number {magic}): copy it again")
    rank = magic - 2048
    dims = struct.unpack(">" + "I" * rank, data[4:4 + 4 * rank])
    body = data[4 + 4 * rank:]
    if len(body) != math.prod(dims):
        raise UsageError(f"{path} holds {len(body)} bytes of data but its header says {math.prod(dims)}: "
                         "the file is truncated or corrupt; copy it again")
    return body, dims


def read_mnist(folder, train):
    """MNIST's training or test split as uint8 images [N, 28, 28] and int64 labels [N]."""
    images_file, labels_file = (find_idx(folder, n) for n in MNIST_FILES[train])
    pixels, (n, rows, cols) = read_idx(images_file, 2051)
    digits, (m,) = read_idx(labels_file, 2049)
    if n != m:
        raise UsageError(f"{images_file} has {n} images but {labels_file} has {m} labels: copy both again")
    images = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(n, rows, cols)
    labels = torch.frombuffer(bytearray(digits), dtype=torch.uint8).long()
    return images, labels


def prepare(images):
    """ToTensor (grey levels to [0, 1], a channel dimension), then the project's transforms in their order."""
    x = images.float().div_(255).unsqueeze(1)
    for transform in TRANSFORMS:
        if transform[0] == "Pad":
            p = transform[1]
            x = F.pad(x, (p, p, p, p))
        elif transform[0] == "Normalize":
            x = (x - transform[1]) / transform[2]
    if tuple(x.shape[1:]) != INPUT_SHAPE:
        raise UsageError(f"the network's Input expects samples of shape {list(INPUT_SHAPE)} but the MNIST images "
                         f"after the project's transforms are {list(x.shape[1:])}")
    return x


def targets_for(loss_fn, labels, outputs):
    """Class indices, or one-hot vectors for MSELoss, which compares the outputs with a vector per image."""
    if isinstance(loss_fn, nn.MSELoss):
        return F.one_hot(labels, outputs.shape[1]).float()
    return labels


# ---- weights: .safetensors with PyTorch's names, written by hand when the safetensors package is missing ----------

DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32}


def load_safetensors(path):
    """Reads a .safetensors file, with the safetensors package when it is installed."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        return read_safetensors(path)
    return load_file(path)


def read_safetensors(path):
    """A minimal reader: 8-byte little-endian header size, a JSON header, then raw little-endian data."""
    with open(path, "rb") as f:
        header_size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(header_size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise ValueError(f"{path}: {name} is {info['dtype']}, which this reader does not handle; "
                             "pip install safetensors")
        start, end = info["data_offsets"]
        values = torch.frombuffer(bytearray(data[start:end]), dtype=DTYPES[info["dtype"]])
        tensors[name] = values.reshape(info["shape"])
    return tensors


def save_safetensors(state, path):
    """Writes a state dict as .safetensors (F32, and I64 for BatchNorm's counters), which DeepCanvas opens."""
    header = {"__metadata__": {"format": "pt"}}
    chunks = []
    offset = 0
    for name, tensor in state.items():
        t = tensor.detach().cpu().contiguous()
        if t.dtype.is_floating_point:
            t, dtype = t.float(), "F32"
        else:
            t, dtype = t.long(), "I64"
        raw = little_endian_bytes(t)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as the safetensors package writes it
    partial = path + ".part"
    with open(partial, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
    os.replace(partial, path)  # a reader never sees half a file


def little_endian_bytes(t):
    """The raw data of a float32 or int64 tensor, little-endian as safetensors stores it (x86 and ARM are)."""
    try:
        return t.numpy().astype("<f4" if t.dtype == torch.float32 else "<i8").tobytes()
    except RuntimeError:  # a PyTorch installed without NumPy
        if sys.byteorder != "little":
            raise
        return bytes(t.reshape(-1).view(torch.uint8).tolist())


def load_weights(model, path):
    if not os.path.isfile(path):
        raise UsageError(f"weights file {path} does not exist")
    try:
        model.load_state_dict(load_safetensors(path))
    except (RuntimeError, ValueError, KeyError, struct.error, json.JSONDecodeError) as e:
        raise UsageError(f"cannot load the weights in {path}: {str(e).splitlines()[0]}") from e


# ---- one process or many -----------------------------------------------------------------------------------------

class Processes:
    """This process's place in a distributed run (torchrun's RANK, WORLD_SIZE, LOCAL_RANK), or a run of one."""

    def __init__(self, device):
        self.rank, self.world, self.local_rank = 0, 1, 0
        self.distributed = "RANK" in os.environ and "WORLD_SIZE" in os.environ
        use_cuda = torch.cuda.is_available() and device != "cpu"
        if device == "cuda" and not torch.cuda.is_available():
            raise UsageError("--device cuda: PyTorch sees no CUDA GPU here; use --device cpu")
        if self.distributed:
            for name in ("MASTER_ADDR", "MASTER_PORT"):
                if name not in os.environ:
                    raise UsageError(f"RANK and WORLD_SIZE are set but {name} is not: launch with torchrun, or set "
                                     "MASTER_ADDR and MASTER_PORT (the address and a free port of the rank-0 machine)")
            self.rank = int(os.environ["RANK"])
            self.world = int(os.environ["WORLD_SIZE"])
            self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
            if use_cuda:
                # one GPU per process, chosen by its rank on this machine
                torch.cuda.set_device(self.local_rank)
            torch.distributed.init_process_group(backend="nccl" if use_cuda else "gloo")
        self.device = torch.device("cuda", self.local_rank if self.distributed else torch.cuda.current_device()) \
            if use_cuda else torch.device("cpu")

    @property
    def main(self):
        """Rank 0 alone prints, evaluates and saves."""
        return self.rank == 0

    def describe(self):
        if not self.distributed:
            return str(self.device)
        return f"{self.world} processes ({torch.distributed.get_backend()}), {self.device.type}"

    def wrap(self, model):
        if not self.distributed:
            return model
        from torch.nn.parallel import DistributedDataParallel
        return DistributedDataParallel(model, device_ids=[self.local_rank] if self.device.type == "cuda" else None)

    def order(self, count, epoch, shuffle):
        """The sample indices this process trains on in this epoch (its share, under a DistributedSampler)."""
        if self.distributed:
            from torch.utils.data.distributed import DistributedSampler
            sampler = DistributedSampler(range(count), num_replicas=self.world, rank=self.rank, shuffle=shuffle,
                                         seed=SEED)
            sampler.set_epoch(epoch)
            return torch.tensor(list(iter(sampler)), dtype=torch.long)
        if not shuffle:
            return torch.arange(count)
        generator = torch.Generator().manual_seed(SEED + epoch)
        return torch.randperm(count, generator=generator)

    def mean(self, *values):
        """The values averaged over every process (all processes call this at the same steps)."""
        if not self.distributed:
            return values
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        torch.distributed.all_reduce(t)
        return tuple((t / self.world).tolist())

    def barrier(self):
        if self.distributed:
            torch.distributed.barrier()

    def close(self):
        if self.distributed:
            torch.distributed.destroy_process_group()


# ---- evaluation, printed as `deepcanvas eval` prints it ------------------------------------------------------------

def evaluate(model, images, labels, loss_fn, device, batch_size=1000):
    """Accuracy, mean loss and confusion matrix over a test set, in eval mode and without gradients."""
    was_training = model.training
    model.eval()
    confusion = torch.zeros(10, 10, dtype=torch.long)
    loss_sum, correct = 0.0, 0
    with torch.no_grad():
        for start in range(0, len(labels), batch_size):
            y = labels[start:start + batch_size]
            out = model(prepare(images[start:start + batch_size]).to(device)).cpu()
            if out.dim() != 2:
                raise UsageError(f"evaluation needs class scores of shape [batch, classes] but the model outputs "
                                 f"{list(out.shape)}: end the network with a Linear layer")
            if confusion.shape[0] != out.shape[1]:
                confusion = torch.zeros(out.shape[1], out.shape[1], dtype=torch.long)
            loss_sum += loss_fn(out, targets_for(loss_fn, y, out)).item() * len(y)
            predicted = out.argmax(1)
            correct += int((predicted == y).sum())
            confusion.index_put_((y, predicted), torch.ones(len(y), dtype=torch.long), accumulate=True)
    model.train(was_training)
    return len(labels), correct, loss_sum / max(1, len(labels)), confusion


def print_evaluation(total, correct, loss, confusion):
    print(f"test accuracy {100 * correct / total:.2f}% ({correct}/{total}), loss {loss:.4f}")
    print()
    print("class  accuracy   correct/total")
    for c in range(confusion.shape[0]):
        row_total = int(confusion[c].sum())
        accuracy = f"{100 * int(confusion[c, c]) / row_total:7.2f}%" if row_total else "       -"
        print(f"{c:5d}  {accuracy}  {int(confusion[c, c]):6d}/{row_total}")
    print()
    print("confusion matrix (rows: actual class, columns: predicted class)")
    width = max(4, len(str(int(confusion.max()))) + 1)
    print(f"{'actual':<8s}" + "".join(f"{c:{width}d}" for c in range(confusion.shape[0])))
    for r in range(confusion.shape[0]):
        print(f"{r:<8d}" + "".join(f"{int(v):{width}d}" for v in confusion[r]))


# ---- the two commands ----------------------------------------------------------------------------------------------

def default_weights():
    """The weights file beside this script: the one exported with it, and where train saves."""
    return shown(os.path.join(HERE, WEIGHTS_FILE))


def shown(path):
    """A path as the user would type it: relative when it lies under the working directory."""
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else path


def initial_weights(given):
    """--weights W, or none for a fresh seeded start; without it, the weights exported with this script if any."""
    if given:
        return None if given == "none" else given
    if START_FROM_WEIGHTS:
        path = default_weights()
        if not os.path.isfile(path):
            raise UsageError(f"the weights exported with this script, {path}, are missing: copy them beside it, "
                             "or start from fresh weights with --weights none")
        return path
    return None


def duration(seconds):
    if seconds < 60:
        return f"{seconds:.1f} s"
    s = int(seconds)
    return f"{s // 60}:{s % 60:02d} min" if s < 3600 else f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d} h"


def log_interval(total_steps):
    """About ten progress lines per run, at round step counts, as DeepCanvas prints them."""
    every = 1
    for nice in (2, 5, 10, 20, 50, 100):
        if nice * 10 <= total_steps:
            every = nice
    return every


def train(args):
    procs = Processes(args.device)
    try:
        return train_in(procs, args)
    finally:
        procs.close()


def train_in(procs, args):
    torch.manual_seed(SEED)  # the same initial weights in every process, and on every run
    model = Net()
    start_from = initial_weights(args.weights)
    if start_from:
        load_weights(model, start_from)
    model.to(procs.device)
    folder = data_folder(args.data)
    images, labels = read_mnist(folder, True)
    test_images, test_labels = read_mnist(folder, False) if procs.main else (None, None)
    if args.limit_test and procs.main:
        test_images, test_labels = test_images[:args.limit_test], test_labels[:args.limit_test]
    net = procs.wrap(model)
    loss_fn = make_loss()
    optimizer = make_optimizer(net.parameters())
    batch_size = args.batch_size or BATCH_SIZE
    if batch_size > len(labels):
        raise UsageError(f"batch size {batch_size} is larger than the {len(labels)} training images: use at most "
                         f"{len(labels)}")
    per_process = math.ceil(len(labels) / procs.world)
    per_epoch = math.ceil(per_process / batch_size)
    epochs = args.epochs or (math.ceil(args.max_steps / per_epoch) if args.max_steps else EPOCHS)
    total = min(args.max_steps or per_epoch * epochs, per_epoch * epochs)
    save_to = args.save or default_weights()
    every = args.log_every or log_interval(total)
    if procs.main:
        print(f"{PROJECT}: {sum(p.numel() for p in model.parameters()):,} parameters; {LOSS_NAME}, "
              f"{OPTIMIZER_TEXT}, batch {batch_size}{'' if SHUFFLE else ', no shuffle'}"
              + (f" per process ({batch_size * procs.world} in all)" if procs.distributed else "")
              + (f"; from {start_from}" if start_from else ""))
        print(f"training {total:,} steps ({epochs} {'epoch' if epochs == 1 else 'epochs'} of {per_epoch:,} batches) "
              f"on {procs.describe()}")
        sys.stdout.flush()
    classification = True  # MNIST's labels are classes, with MSELoss too (compared one-hot, see targets_for)
    net.train()
    step, started, images_seen = 0, time.time(), 0
    sums = [0.0, 0.0, 0]
    stopped, last_test = None, None
    try:
        for epoch in range(1, epochs + 1):
            order = procs.order(len(labels), epoch, SHUFFLE)
            epoch_loss, epoch_correct, epoch_seen = 0.0, 0, 0
            for begin in range(0, len(order), batch_size):
                index = order[begin:begin + batch_size]
                x = prepare(images[index]).to(procs.device)
                y = labels[index].to(procs.device)
                optimizer.zero_grad()
                out = net(x)
                loss = loss_fn(out, targets_for(loss_fn, y, out))
                loss.backward()
                optimizer.step()
                step += 1
                value = loss.item()
                correct = int((out.argmax(1) == y).sum()) if classification and out.dim() == 2 else 0
                images_seen += len(index)
                epoch_loss += value * len(index)
                epoch_correct += correct
                epoch_seen += len(index)
                sums[0] += value
                sums[1] += correct / len(index)
                sums[2] += 1
                if step % every == 0 or step == total:
                    mean_loss, mean_accuracy = procs.mean(sums[0] / sums[2], sums[1] / sums[2])
                    if procs.main:
                        accuracy = f"  accuracy {100 * mean_accuracy:5.2f}%" if classification else ""
                        rate = images_seen * procs.world / max(1e-9, time.time() - started)
                        print(f"epoch {epoch}/{epochs}  step {step}/{total}  loss {mean_loss:.4f}{accuracy}  "
                              f"{rate:,.0f} images/s", flush=True)
                    sums = [0.0, 0.0, 0]
                if step >= total:
                    break
            last_test = end_of_epoch(procs, model, loss_fn, epoch, epoch_loss, epoch_correct, epoch_seen,
                                     classification, test_images, test_labels)
            if step >= total:
                break
    except KeyboardInterrupt:
        stopped = step
    elapsed = time.time() - started
    if procs.main:
        if stopped is not None:
            print(f"\nstopped by Ctrl-C after step {stopped} of {total}")
        elif step >= total and total < per_epoch * epochs:
            print(f"reached the step limit of {step} steps in {duration(elapsed)}")
        else:
            print(f"trained {epochs} {'epoch' if epochs == 1 else 'epochs'} ({step} steps) in {duration(elapsed)}")
        if last_test:
            print(f"test accuracy {100 * last_test[1] / last_test[0]:.2f}% ({last_test[1]}/{last_test[0]})")
        save_safetensors(model.state_dict(), save_to)
        print(f"saved weights to {save_to}", flush=True)
    procs.barrier()
    return 0


def end_of_epoch(procs, model, loss_fn, epoch, loss_sum, correct, seen, classification, test_images, test_labels):
    """Rank 0 scores the test set with the plain model while the others wait."""
    loss_sum, correct, seen = procs.mean(loss_sum, correct, seen)
    if procs.main:
        line = f"epoch {epoch}: train loss {loss_sum / max(1, seen):.4f}"
        if classification:
            line += f", train accuracy {100 * correct / max(1, seen):.2f}%"
        total, right, _, _ = evaluate(model, test_images, test_labels, loss_fn, procs.device)
        line += f", test accuracy {100 * right / total:.2f}% ({right}/{total})"
        print(line, flush=True)
    procs.barrier()
    return (total, right) if procs.main else None


def evaluate_command(args):
    path = args.weights or default_weights()
    if not path or not os.path.isfile(path):
        raise UsageError("no weights to evaluate: give a weights file (python3 " + SCRIPT + " eval W.safetensors)"
                         + (f", or train first: 'python3 {SCRIPT} train' saves {WEIGHTS_FILE} beside this script"
                            if not args.weights else f"; {path} does not exist"))
    device = torch.device("cuda" if torch.cuda.is_available() and args.device != "cpu" else "cpu")
    model = Net()
    load_weights(model, path)
    model.to(device)
    images, labels = read_mnist(data_folder(args.data), False)
    if args.limit_test:
        images, labels = images[:args.limit_test], labels[:args.limit_test]
    total, correct, loss, confusion = evaluate(model, images, labels, make_loss(), device)
    print(f"{PROJECT} with {path} on {total} MNIST test images")
    print_evaluation(total, correct, loss, confusion)
    return 0


def positive(text):
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got '{text}'")
    return n


def main(argv):
    parser = argparse.ArgumentParser(prog="python3 " + SCRIPT, description=f"Train or evaluate {PROJECT} on MNIST.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    t = commands.add_parser("train", help="train, save the weights (distributed under torchrun)")
    t.add_argument("--data", metavar="DIR", help="folder with the four MNIST IDX files")
    t.add_argument("--epochs", type=positive, metavar="N", help=f"epochs to train (default {EPOCHS})")
    t.add_argument("--max-steps", type=positive, metavar="N", help="stop after N optimizer steps")
    t.add_argument("--batch-size", type=positive, metavar="N", help=f"batch size per process (default {BATCH_SIZE})")
    t.add_argument("--save", metavar="W", help=f"weights file to write (default {WEIGHTS_FILE} beside this script)")
    t.add_argument("--weights", metavar="W", help="start from these weights; 'none' for fresh ones"
                   + (f" (default: {WEIGHTS_FILE}, exported with this script)" if START_FROM_WEIGHTS else ""))
    t.add_argument("--limit-test", type=positive, metavar="N", help="score only the first N test images")
    t.add_argument("--log-every", type=positive, metavar="N", help="print a progress line every N steps")
    t.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="default: cuda when present")
    e = commands.add_parser("eval", help="test accuracy, loss, per-class accuracy and confusion matrix")
    e.add_argument("weights", nargs="?", metavar="W",
                   help=f"the weights to score (default {WEIGHTS_FILE} beside this script)")
    e.add_argument("--data", metavar="DIR", help="folder with the four MNIST IDX files")
    e.add_argument("--limit-test", type=positive, metavar="N", help="score only the first N test images")
    e.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="default: cuda when present")
    args = parser.parse_args(argv)
    try:
        return train(args) if args.command == "train" else evaluate_command(args)
    except UsageError as error:
        print(f"{SCRIPT}: {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except BrokenPipeError:
        # the reader stopped early (| head): not an error of the program
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
