/**
 * The capture thread: opens the input device, then loops on blocking Pa_ReadStream, mixing each
 * block to mono into the shared ring, until the main thread sets the stop flag. It is the ring's
 * only producer. Blocking reads in a Worker keep the main thread free (a JSCallback as PortAudio
 * stream callback is not usable under Bun).
 */
import { ptr, type Pointer } from "bun:ffi";
import { UserError } from "../engine/errors.ts";
import { FloatRingBuffer } from "../engine/ring-buffer.ts";
import { CONTROL_OVERFLOWS, CONTROL_READS, CONTROL_STOP, type CaptureFailed, type CaptureMessage, type CaptureRequest } from "./capture-protocol.ts";
import { readInputDevices, selectInputDevice } from "./devices.ts";
import {
  initializePortAudio,
  openInputStream,
  paInputOverflowed,
  paInvalidChannelCount,
  PortAudioError,
  terminatePortAudio,
  checkPa,
  type PortAudioLibrary,
} from "./portaudio.ts";

declare const self: Worker;

function post(message: CaptureMessage): void {
  self.postMessage(message);
}

function failure(phase: CaptureFailed["phase"], err: unknown): CaptureFailed {
  if (err instanceof UserError) {
    return { type: "error", phase, message: err.message, hint: err.hint, code: err instanceof PortAudioError ? err.code : undefined };
  }
  return { type: "error", phase, message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

interface OpenStream {
  stream: Pointer;
  channels: number;
}

/** Mono if the device takes it; otherwise its first two channels (mixed in the loop). */
function openMonoOrStereo(pa: PortAudioLibrary, device: number, maxChannels: number, sampleRate: number, latency: number, frames: number): OpenStream {
  try {
    return { stream: openInputStream(pa, { device, channels: 1, sampleRate, suggestedLatency: latency, framesPerBuffer: frames }), channels: 1 };
  } catch (err) {
    if (!(err instanceof PortAudioError && err.code === paInvalidChannelCount) || maxChannels < 2) throw err;
  }
  const channels = Math.min(maxChannels, 2);
  return { stream: openInputStream(pa, { device, channels, sampleRate, suggestedLatency: latency, framesPerBuffer: frames }), channels };
}

function capture(request: CaptureRequest): void {
  const control = new Int32Array(request.control);
  let pa: PortAudioLibrary;
  try {
    pa = initializePortAudio(request.env);
  } catch (err) {
    post(failure("open", err));
    return;
  }
  const s = pa.symbols;
  let stream: Pointer | null = null;
  let ring: FloatRingBuffer | null = null;
  try {
    let channels: number;
    let framesPerRead: number;
    let block: Float32Array;
    let mono: Float32Array;
    try {
      const device = selectInputDevice(readInputDevices(pa), request.device);
      const sampleRate = request.sampleRate ?? device.defaultSampleRate;
      framesPerRead = Math.max(16, Math.round((sampleRate * request.blockMs) / 1000));
      const latency = request.latency === "low" ? device.defaultLowInputLatency : device.defaultHighInputLatency;
      let opened: OpenStream;
      if (request.channels === undefined) {
        opened = openMonoOrStereo(pa, device.index, device.maxInputChannels, sampleRate, latency, framesPerRead);
      } else {
        if (request.channels > device.maxInputChannels) {
          throw new UserError(`"${device.name}" has ${device.maxInputChannels} input channels, ${request.channels} were asked for`);
        }
        const stream = openInputStream(pa, {
          device: device.index,
          channels: request.channels,
          sampleRate,
          suggestedLatency: latency,
          framesPerBuffer: framesPerRead,
        });
        opened = { stream, channels: request.channels };
      }
      stream = opened.stream;
      channels = opened.channels;
      block = new Float32Array(framesPerRead * channels);
      mono = channels === 1 ? block : new Float32Array(framesPerRead);
      ring = FloatRingBuffer.create(Math.max(framesPerRead * 4, Math.ceil(sampleRate * request.bufferSeconds)));
      checkPa(s.Pa_StartStream(stream), "Pa_StartStream");
      post({ type: "started", ring: ring.buffer, device, sampleRate, channels, framesPerRead, latency });
    } catch (err) {
      post(failure("open", err));
      return;
    }
    const blockPtr = ptr(block);
    const gain = 1 / channels;
    while (Atomics.load(control, CONTROL_STOP) === 0) {
      const code = s.Pa_ReadStream(stream, blockPtr, framesPerRead);
      Atomics.add(control, CONTROL_READS, 1);
      // An overflow still delivers the block; the gap before it is what was lost.
      if (code === paInputOverflowed) Atomics.add(control, CONTROL_OVERFLOWS, 1);
      else if (code < 0) {
        post(failure("capture", new PortAudioError(code, "reading from the input device")));
        break;
      }
      if (channels > 1) {
        for (let f = 0, i = 0; f < framesPerRead; f++) {
          let sum = 0;
          for (let c = 0; c < channels; c++) sum += block[i++]!;
          mono[f] = sum * gain;
        }
      }
      ring.write(mono, 0, framesPerRead);
    }
  } catch (err) {
    post(failure("capture", err));
  } finally {
    if (stream) {
      s.Pa_StopStream(stream);
      s.Pa_CloseStream(stream);
    }
    terminatePortAudio();
    // The ring is closed by the main thread on "stopped", not here: a close seen through shared
    // memory can overtake the "error" message posted before it, and a lost device would then
    // read as a clean end of stream.
    post({ type: "stopped" });
  }
}

self.onmessage = (event: MessageEvent<CaptureRequest>) => {
  if (event.data?.type === "start") capture(event.data);
};
