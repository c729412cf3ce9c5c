"""The seed's method, as the bench's peer: librosa-style MFCC (written in numpy/scipy, no
librosa) and scikit-learn LogisticRegression(C=2) on standardised features.

    python3 seed_peer.py train TRAIN_WAV_DIR MODEL.pkl
    python3 seed_peer.py predict MODEL.pkl FILE_OR_DIR...
    python3 seed_peer.py listen MODEL.pkl LONG.wav

`predict` prints one line per file (the single-file form: "Predicted digit: N"); `listen` cuts a
long recording into the seed's fixed 0.9 s blocks and names a digit for every block loud enough.
Needs numpy, scipy and scikit-learn (Debian: python3-numpy python3-scipy python3-sklearn).
"""

import os
import pickle
import sys

import numpy as np
from scipy.fft import dct
from scipy.io import wavfile
from scipy.signal import resample_poly

RATE = 8000
N_FFT = 256
HOP = 80
N_MELS = 20
N_MFCC = 13
SEGMENTS = 16
TOP_DB = 80.0
BLOCK_SECONDS = 0.9


def hz_to_mel(f):
    """Slaney's mel scale (librosa's default): linear below 1 kHz, logarithmic above."""
    f = np.asarray(f, dtype=np.float64)
    mel = f / (200.0 / 3)
    log_part = 15.0 + np.log(np.maximum(f, 1e-10) / 1000.0) / (np.log(6.4) / 27.0)
    return np.where(f >= 1000.0, log_part, mel)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    lin = m * (200.0 / 3)
    log_part = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0))
    return np.where(m >= 15.0, log_part, lin)


def mel_filterbank():
    """librosa.filters.mel(sr, n_fft, n_mels) with norm="slaney": triangles of unit area."""
    fft_hz = np.linspace(0, RATE / 2, N_FFT // 2 + 1)
    edges = mel_to_hz(np.linspace(hz_to_mel(0.0), hz_to_mel(RATE / 2), N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_hz[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return weights * (2.0 / (edges[2:] - edges[:-2]))[:, None]


MEL = mel_filterbank()
WINDOW = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)


def mfcc(y):
    """librosa.feature.mfcc: centred frames (zero padding), Hann, power, mel, dB (top 80), DCT-II."""
    y = np.pad(y, N_FFT // 2)
    if len(y) < N_FFT:
        y = np.pad(y, (0, N_FFT - len(y)))
    frames = np.lib.stride_tricks.sliding_window_view(y, N_FFT)[::HOP]
    power = np.abs(np.fft.rfft(frames * WINDOW, axis=1)) ** 2
    db = 10.0 * np.log10(np.maximum(power @ MEL.T, 1e-10))
    db = np.maximum(db, db.max() - TOP_DB)
    return dct(db, type=2, norm="ortho", axis=1)[:, :N_MFCC]


def features(y):
    """MFCC averaged over 16 equal time segments, plus their mean and standard deviation."""
    c = mfcc(y)
    n = len(c)
    bounds = [s * n // SEGMENTS for s in range(SEGMENTS + 1)]
    grid = [c[lo:max(hi, lo + 1)].mean(axis=0) for lo, hi in zip(bounds[:-1], bounds[1:])]
    return np.concatenate(grid + [c.mean(axis=0), c.std(axis=0)])


def read_mono(path):
    """A WAV file as mono float samples at 8 kHz."""
    rate, x = wavfile.read(path, mmap=True)
    if x.dtype == np.int16:
        x = x.astype(np.float32) / 32768.0
    elif x.dtype == np.int32:
        x = x.astype(np.float32) / 2147483648.0
    elif x.dtype == np.uint8:
        x = (x.astype(np.float32) - 128.0) / 128.0
    else:
        x = np.asarray(x, dtype=np.float32)
    if x.ndim == 2:
        x = x.mean(axis=1)
    if rate != RATE:
        g = np.gcd(int(rate), RATE)
        x = resample_poly(x, RATE // g, int(rate) // g).astype(np.float32)
    return x


def label_of(path):
    name = os.path.basename(path)
    return int(name[0]) if name[:1].isdigit() and name[1:2] == "_" else None


def wavs(inputs):
    out = []
    for p in inputs:
        if os.path.isdir(p):
            out.extend(sorted(os.path.join(p, f) for f in os.listdir(p) if f.lower().endswith(".wav")))
        else:
            out.append(p)
    return out


def train(train_dir, model_path):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    files = wavs([train_dir])
    X = np.stack([features(read_mono(f)) for f in files])
    y = np.array([label_of(f) for f in files])
    model = make_pipeline(StandardScaler(), LogisticRegression(C=2.0, max_iter=2000))
    model.fit(X, y)
    with open(model_path, "wb") as fh:
        pickle.dump(model, fh)
    print(f"trained on {len(files)} clips, train accuracy {model.score(X, y):.4f}")


def load(model_path):
    with open(model_path, "rb") as fh:
        return pickle.load(fh)


def predict(model_path, inputs):
    model = load(model_path)
    files = wavs(inputs)
    if len(files) == 1:
        p = model.predict_proba(features(read_mono(files[0]))[None, :])[0]
        print(f"Predicted digit: {model.classes_[p.argmax()]}")
        return
    correct = labelled = 0
    lines = []
    for f in files:
        d = int(model.predict(features(read_mono(f))[None, :])[0])
        lines.append(f"{f}  {d}")
        lab = label_of(f)
        if lab is not None:
            labelled += 1
            correct += lab == d
    print("\n".join(lines))
    print(f"{len(files)} files, accuracy {correct / max(1, labelled):.4f}")


def listen(model_path, path):
    model = load(model_path)
    x = read_mono(path)
    block = int(BLOCK_SECONDS * RATE)
    digits = []
    for at in range(0, len(x) - block + 1, block):
        y = x[at:at + block]
        if np.sqrt(np.mean(y * y)) < 0.01:
            continue
        digits.append(str(int(model.predict(features(y)[None, :])[0])))
    print(f"{len(x) / RATE:.1f} s, {len(digits)} blocks with sound: {''.join(digits)}")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "train":
        train(*args)
    elif cmd == "predict":
        predict(args[0], args[1:])
    elif cmd == "listen":
        listen(*args)
    else:
        sys.exit(f"unknown command {cmd}: train, predict or listen")
