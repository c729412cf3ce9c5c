;; The engine's WebAssembly SIMD kernels: the feature extractor's frame spectra (a float32 FFT of
;; four frames at a time, a lane each); the classifier's dense layers and the correlations of the
;; voiced-speech check and pitch estimate (float32, four lanes); the trainer's batch products and
;; Adam step (float64, two lanes).
;; Build: bun run build:wasm (writes kernels.wasm next to this file).
(module
  (import "env" "memory" (memory 1))

  ;; Power spectra of `frames` frames of a signal: frame f is the pre-emphasised signal
  ;; e[j] = x[j] − pre·x[j − 1] (x float32 at byte offset $x, x[−1] readable and zero, zeros past
  ;; the input; computed once into $emph, float32, (frames − 1)·hop + len values, 16-byte
  ;; aligned, room for three more: frames overlap) from sample f·hop, times the window ($win,
  ;; $len float32), zero-padded to 2m. Float32 throughout the FFT (its error is a few float32
  ;; roundings of the frame's power, ~1e-7 of it; float64 took twice the vectors): four frames
  ;; at a time, frame f + l in lane l of every vector (the frames past the last taken from frame
  ;; f, their lanes not stored), real and imaginary parts in vectors of their own: no shuffles,
  ;; and lane by lane the operations of a one-frame kernel that keeps a complex number in a
  ;; vector. $frame: 2m vectors (values from $len on must be zero: they are never written). Its
  ;; real FFT is a complex FFT of m points z[n] = frame[2n] + i·frame[2n + 1] (decimation in
  ;; time: a first radix-4 pass gathers z in bit-reversed order through $rev, byte offsets
  ;; 32·rev(p) of z[rev(p)]; the later stages two at a time, a last one alone when their count is
  ;; odd) then the split into the 2m-point spectrum. Writes power[f·(m + 1) + k] = |X_f[k]|² as
  ;; float64 for k ≤ m and band[f], the float64 sum of power over bins lo…hi ($band 8-byte
  ;; aligned). $tw holds the twiddles w = e^(−πij/half) of each stage from half = 4 on, $post
  ;; those of the split, e^(−πik/m), each as float32 (re, re, −im, im); $buf is m complex
  ;; vector pairs (32 bytes each) of scratch. m ≥ 8. Pointers are byte offsets, $frame, $buf,
  ;; $tw, $post 16-byte aligned.
  (func (export "spectra") (param $x i32) (param $frames i32) (param $hop i32) (param $len i32) (param $pre f64)
    (param $win i32) (param $frame i32) (param $rev i32) (param $buf i32) (param $tw i32) (param $post i32) (param $m i32)
    (param $power i32) (param $band i32) (param $lo i32) (param $hi i32) (param $emph i32)
    (local $f i32) (local $i i32) (local $s i32) (local $s2 i32) (local $pre2 v128) (local $n i32) (local $rowb i32) (local $s3 i32) (local $s4 i32)
    (local $half i32) (local $twp i32) (local $g i32) (local $j i32) (local $pa i32) (local $pb i32) (local $w i32) (local $end i32)
    (local $k i32) (local $h32 i32) (local $w2 i32) (local $half2 i32) (local $pc i32) (local $pd i32)
    (local $sumlo v128) (local $sumhi v128) (local $ar v128) (local $ai v128) (local $br v128) (local $bi v128) (local $cr v128) (local $ci v128) (local $dr v128) (local $di v128)
    (local $tr v128) (local $ti v128) (local $er v128) (local $ei v128) (local $a v128) (local $b v128)
    (local.set $half2 (i32.shr_u (local.get $m) (i32.const 1)))
    (local.set $pre2 (f32x4.splat (f32.demote_f64 (local.get $pre))))
    (local.set $rowb (i32.shl (i32.add (local.get $m) (i32.const 1)) (i32.const 3)))
    ;; the pre-emphasis, four samples per step (the last step may write three past the span)
    (local.set $pa (local.get $x))
    (local.set $pb (local.get $emph))
    (local.set $end (i32.add (local.get $emph) (i32.shl (i32.add (i32.mul (i32.sub (local.get $frames) (i32.const 1)) (local.get $hop)) (local.get $len)) (i32.const 2))))
    (block $emph_done
      (loop $emphasis
        (br_if $emph_done (i32.ge_u (local.get $pb) (local.get $end)))
        (v128.store (local.get $pb)
          (f32x4.sub
            (v128.load align=4 (local.get $pa))
            (f32x4.mul (local.get $pre2) (v128.load align=4 (i32.sub (local.get $pa) (i32.const 4))))))
        (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
        (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
        (br $emphasis)))
    (block $frames_done
      (loop $each_pair
        (br_if $frames_done (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $n (i32.sub (local.get $frames) (local.get $f)))
        ;; the window: (e of frames f … f + 3)·w, a sample per step
        (local.set $s (i32.add (local.get $emph) (i32.shl (i32.mul (local.get $f) (local.get $hop)) (i32.const 2))))
        (local.set $s2 (select (i32.add (local.get $s) (i32.shl (local.get $hop) (i32.const 2))) (local.get $s) (i32.gt_u (local.get $n) (i32.const 1))))
        (local.set $s3 (select (i32.add (local.get $s) (i32.shl (local.get $hop) (i32.const 3))) (local.get $s) (i32.gt_u (local.get $n) (i32.const 2))))
        (local.set $s4 (select (i32.add (local.get $s) (i32.mul (local.get $hop) (i32.const 12))) (local.get $s) (i32.gt_u (local.get $n) (i32.const 3))))
        ;; four samples of each frame per step, the 4×4 block turned so that a vector holds one
        ;; sample of the four frames
        (local.set $i (i32.const 0))
        (block $window4_done
          (loop $window4
            (br_if $window4_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $len)))
            (local.set $j (i32.shl (local.get $i) (i32.const 2)))
            (local.set $tr (v128.load align=4 (i32.add (local.get $win) (local.get $j))))
            (local.set $ar (f32x4.mul (local.get $tr) (v128.load align=4 (i32.add (local.get $s) (local.get $j)))))
            (local.set $br (f32x4.mul (local.get $tr) (v128.load align=4 (i32.add (local.get $s2) (local.get $j)))))
            (local.set $cr (f32x4.mul (local.get $tr) (v128.load align=4 (i32.add (local.get $s3) (local.get $j)))))
            (local.set $dr (f32x4.mul (local.get $tr) (v128.load align=4 (i32.add (local.get $s4) (local.get $j)))))
            (local.set $ai (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $ar) (local.get $br)))
            (local.set $bi (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $ar) (local.get $br)))
            (local.set $ci (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $cr) (local.get $dr)))
            (local.set $di (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $cr) (local.get $dr)))
            (local.set $pa (i32.add (local.get $frame) (i32.shl (local.get $i) (i32.const 4))))
            (v128.store (local.get $pa) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $ai) (local.get $ci)))
            (v128.store offset=16 (local.get $pa) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $ai) (local.get $ci)))
            (v128.store offset=32 (local.get $pa) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $bi) (local.get $di)))
            (v128.store offset=48 (local.get $pa) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $bi) (local.get $di)))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $window4)))
        ;; the samples left over, one per step
        (block $window_done
          (loop $window
            (br_if $window_done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $j (i32.shl (local.get $i) (i32.const 2)))
            (v128.store (i32.add (local.get $frame) (i32.shl (local.get $i) (i32.const 4)))
              (f32x4.mul (v128.load32_splat (i32.add (local.get $win) (local.get $j)))
                (v128.load32_lane 3 (i32.add (local.get $s4) (local.get $j))
                  (v128.load32_lane 2 (i32.add (local.get $s3) (local.get $j))
                    (v128.load32_lane 1 (i32.add (local.get $s2) (local.get $j))
                      (v128.load32_splat (i32.add (local.get $s) (local.get $j))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $window)))
        ;; the first two stages (twiddles 1 and −i) on z gathered in bit-reversed order
        (local.set $pa (local.get $buf))
        (local.set $pb (local.get $rev))
        (local.set $end (i32.add (local.get $buf) (i32.shl (local.get $m) (i32.const 5))))
        (block $quads_done
          (loop $quad
            (br_if $quads_done (i32.ge_u (local.get $pa) (local.get $end)))
            (local.set $i (i32.add (local.get $frame) (i32.load (local.get $pb))))
            (local.set $ar (v128.load (local.get $i)))
            (local.set $ai (v128.load offset=16 (local.get $i)))
            (local.set $i (i32.add (local.get $frame) (i32.load offset=4 (local.get $pb))))
            (local.set $br (v128.load (local.get $i)))
            (local.set $bi (v128.load offset=16 (local.get $i)))
            (local.set $i (i32.add (local.get $frame) (i32.load offset=8 (local.get $pb))))
            (local.set $cr (v128.load (local.get $i)))
            (local.set $ci (v128.load offset=16 (local.get $i)))
            (local.set $i (i32.add (local.get $frame) (i32.load offset=12 (local.get $pb))))
            (local.set $dr (v128.load (local.get $i)))
            (local.set $di (v128.load offset=16 (local.get $i)))
            (local.set $tr (f32x4.add (local.get $ar) (local.get $br)))
            (local.set $ti (f32x4.add (local.get $ai) (local.get $bi)))
            (local.set $ar (f32x4.sub (local.get $ar) (local.get $br)))
            (local.set $ai (f32x4.sub (local.get $ai) (local.get $bi)))
            (local.set $br (f32x4.add (local.get $cr) (local.get $dr)))
            (local.set $bi (f32x4.add (local.get $ci) (local.get $di)))
            (local.set $cr (f32x4.sub (local.get $cr) (local.get $dr)))
            (local.set $ci (f32x4.sub (local.get $ci) (local.get $di)))
            ;; out: t + b, a + (−i)·c, t − b, a − (−i)·c, with (−i)·c = (c.im, −c.re)
            (v128.store (local.get $pa) (f32x4.add (local.get $tr) (local.get $br)))
            (v128.store offset=16 (local.get $pa) (f32x4.add (local.get $ti) (local.get $bi)))
            (v128.store offset=32 (local.get $pa) (f32x4.add (local.get $ar) (local.get $ci)))
            (v128.store offset=48 (local.get $pa) (f32x4.sub (local.get $ai) (local.get $cr)))
            (v128.store offset=64 (local.get $pa) (f32x4.sub (local.get $tr) (local.get $br)))
            (v128.store offset=80 (local.get $pa) (f32x4.sub (local.get $ti) (local.get $bi)))
            (v128.store offset=96 (local.get $pa) (f32x4.sub (local.get $ar) (local.get $ci)))
            (v128.store offset=112 (local.get $pa) (f32x4.add (local.get $ai) (local.get $cr)))
            (local.set $pa (i32.add (local.get $pa) (i32.const 128)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (br $quad)))
        ;; the other stages: two at a time (radix 4) while they fit, then one (radix 2)
        (local.set $half (i32.const 4))
        (local.set $twp (local.get $tw))
        (block $fours_done
          (loop $four
            (br_if $fours_done (i32.gt_u (i32.shl (local.get $half) (i32.const 2)) (local.get $m)))
            (local.set $h32 (i32.shl (local.get $half) (i32.const 5)))
            (local.set $g (i32.const 0))
            (block $quartets_done
              (loop $quartet
                (br_if $quartets_done (i32.ge_u (local.get $g) (local.get $m)))
                (local.set $pa (i32.add (local.get $buf) (i32.shl (local.get $g) (i32.const 5))))
                (local.set $end (i32.add (local.get $pa) (local.get $h32)))
                (local.set $w (local.get $twp))
                (local.set $w2 (i32.add (local.get $twp) (i32.shl (local.get $half) (i32.const 4))))
                (block $js_done
                  (loop $j4
                    (br_if $js_done (i32.ge_u (local.get $pa) (local.get $end)))
                    (local.set $pb (i32.add (local.get $pa) (local.get $h32)))
                    (local.set $pc (i32.add (local.get $pb) (local.get $h32)))
                    (local.set $pd (i32.add (local.get $pc) (local.get $h32)))
                    ;; stage of `half`: (a0, a1) and (a2, a3) with w = e^(−πij/half)
                    (local.set $br (v128.load (local.get $pb)))
                    (local.set $bi (v128.load offset=16 (local.get $pb)))
                    (local.set $tr (f32x4.add (f32x4.mul (local.get $br) (v128.load32_splat (local.get $w))) (f32x4.mul (local.get $bi) (v128.load32_splat offset=8 (local.get $w)))))
                    (local.set $ti (f32x4.add (f32x4.mul (local.get $bi) (v128.load32_splat offset=4 (local.get $w))) (f32x4.mul (local.get $br) (v128.load32_splat offset=12 (local.get $w)))))
                    (local.set $ar (v128.load (local.get $pa)))
                    (local.set $ai (v128.load offset=16 (local.get $pa)))
                    (local.set $cr (f32x4.add (local.get $ar) (local.get $tr)))
                    (local.set $ci (f32x4.add (local.get $ai) (local.get $ti)))
                    (local.set $dr (f32x4.sub (local.get $ar) (local.get $tr)))
                    (local.set $di (f32x4.sub (local.get $ai) (local.get $ti)))
                    (local.set $br (v128.load (local.get $pd)))
                    (local.set $bi (v128.load offset=16 (local.get $pd)))
                    (local.set $tr (f32x4.add (f32x4.mul (local.get $br) (v128.load32_splat (local.get $w))) (f32x4.mul (local.get $bi) (v128.load32_splat offset=8 (local.get $w)))))
                    (local.set $ti (f32x4.add (f32x4.mul (local.get $bi) (v128.load32_splat offset=4 (local.get $w))) (f32x4.mul (local.get $br) (v128.load32_splat offset=12 (local.get $w)))))
                    (local.set $ar (v128.load (local.get $pc)))
                    (local.set $ai (v128.load offset=16 (local.get $pc)))
                    (local.set $br (f32x4.add (local.get $ar) (local.get $tr)))
                    (local.set $bi (f32x4.add (local.get $ai) (local.get $ti)))
                    (local.set $ar (f32x4.sub (local.get $ar) (local.get $tr)))
                    (local.set $ai (f32x4.sub (local.get $ai) (local.get $ti)))
                    ;; stage of 2·half: (c, b) with w2 = e^(−πij/(2·half)), (d, a) with −i·w2
                    (local.set $tr (f32x4.add (f32x4.mul (local.get $br) (v128.load32_splat (local.get $w2))) (f32x4.mul (local.get $bi) (v128.load32_splat offset=8 (local.get $w2)))))
                    (local.set $ti (f32x4.add (f32x4.mul (local.get $bi) (v128.load32_splat offset=4 (local.get $w2))) (f32x4.mul (local.get $br) (v128.load32_splat offset=12 (local.get $w2)))))
                    (v128.store (local.get $pa) (f32x4.add (local.get $cr) (local.get $tr)))
                    (v128.store offset=16 (local.get $pa) (f32x4.add (local.get $ci) (local.get $ti)))
                    (v128.store (local.get $pc) (f32x4.sub (local.get $cr) (local.get $tr)))
                    (v128.store offset=16 (local.get $pc) (f32x4.sub (local.get $ci) (local.get $ti)))
                    (local.set $tr (f32x4.add (f32x4.mul (local.get $ar) (v128.load32_splat (local.get $w2))) (f32x4.mul (local.get $ai) (v128.load32_splat offset=8 (local.get $w2)))))
                    (local.set $ti (f32x4.add (f32x4.mul (local.get $ai) (v128.load32_splat offset=4 (local.get $w2))) (f32x4.mul (local.get $ar) (v128.load32_splat offset=12 (local.get $w2)))))
                    ;; d ± (−i)·t, (−i)·t = (t.im, −t.re)
                    (v128.store (local.get $pb) (f32x4.add (local.get $dr) (local.get $ti)))
                    (v128.store offset=16 (local.get $pb) (f32x4.sub (local.get $di) (local.get $tr)))
                    (v128.store (local.get $pd) (f32x4.sub (local.get $dr) (local.get $ti)))
                    (v128.store offset=16 (local.get $pd) (f32x4.add (local.get $di) (local.get $tr)))
                    (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
                    (local.set $w (i32.add (local.get $w) (i32.const 16)))
                    (local.set $w2 (i32.add (local.get $w2) (i32.const 16)))
                    (br $j4)))
                (local.set $g (i32.add (local.get $g) (i32.shl (local.get $half) (i32.const 2))))
                (br $quartet)))
            (local.set $twp (i32.add (local.get $twp) (i32.mul (local.get $half) (i32.const 48))))
            (local.set $half (i32.shl (local.get $half) (i32.const 2)))
            (br $four)))
        (block $stages_done
          (loop $stage
            (br_if $stages_done (i32.ge_u (local.get $half) (local.get $m)))
            (local.set $g (i32.const 0))
            (block $groups_done
              (loop $group
                (br_if $groups_done (i32.ge_u (local.get $g) (local.get $m)))
                (local.set $pa (i32.add (local.get $buf) (i32.shl (local.get $g) (i32.const 5))))
                (local.set $pb (i32.add (local.get $pa) (i32.shl (local.get $half) (i32.const 5))))
                (local.set $end (local.get $pb))
                (local.set $w (local.get $twp))
                (block $pairs_done
                  (loop $pair
                    (br_if $pairs_done (i32.ge_u (local.get $pa) (local.get $end)))
                    (local.set $br (v128.load (local.get $pb)))
                    (local.set $bi (v128.load offset=16 (local.get $pb)))
                    (local.set $tr (f32x4.add (f32x4.mul (local.get $br) (v128.load32_splat (local.get $w))) (f32x4.mul (local.get $bi) (v128.load32_splat offset=8 (local.get $w)))))
                    (local.set $ti (f32x4.add (f32x4.mul (local.get $bi) (v128.load32_splat offset=4 (local.get $w))) (f32x4.mul (local.get $br) (v128.load32_splat offset=12 (local.get $w)))))
                    (local.set $ar (v128.load (local.get $pa)))
                    (local.set $ai (v128.load offset=16 (local.get $pa)))
                    (v128.store (local.get $pa) (f32x4.add (local.get $ar) (local.get $tr)))
                    (v128.store offset=16 (local.get $pa) (f32x4.add (local.get $ai) (local.get $ti)))
                    (v128.store (local.get $pb) (f32x4.sub (local.get $ar) (local.get $tr)))
                    (v128.store offset=16 (local.get $pb) (f32x4.sub (local.get $ai) (local.get $ti)))
                    (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
                    (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
                    (local.set $w (i32.add (local.get $w) (i32.const 16)))
                    (br $pair)))
                (local.set $g (i32.add (local.get $g) (i32.shl (local.get $half) (i32.const 1))))
                (br $group)))
            (local.set $twp (i32.add (local.get $twp) (i32.shl (local.get $half) (i32.const 4))))
            (local.set $half (i32.shl (local.get $half) (i32.const 1)))
            (br $stage)))
        ;; the split, bins k and m − k together: with E = (Z[k] + conj Z[m − k])/2,
        ;; O = (Z[k] − conj Z[m − k])/(2i) and T = e^(−πik/m)·O, X[k] = E + T and
        ;; X[m − k] = conj(E − T) (k = 0 gives bins 0 and m; k = m/2 only itself)
        (local.set $k (i32.const 0))
        (local.set $sumlo (v128.const f64x2 0 0))
        (local.set $sumhi (v128.const f64x2 0 0))
        (local.set $w (local.get $post))
        (local.set $pa (local.get $buf))
        (local.set $pb (i32.add (local.get $buf) (i32.shl (local.get $m) (i32.const 5))))
        (local.set $end (i32.add (local.get $power) (i32.shl (local.get $m) (i32.const 3))))
        (block $bins_done
          (loop $bin
            (br_if $bins_done (i32.gt_u (local.get $k) (local.get $half2)))
            (local.set $i (select (local.get $buf) (local.get $pb) (i32.eqz (local.get $k))))
            (local.set $ar (v128.load (local.get $pa)))
            (local.set $ai (v128.load offset=16 (local.get $pa)))
            (local.set $br (v128.load (local.get $i)))
            (local.set $bi (v128.load offset=16 (local.get $i)))
            ;; with b = conj Z[m − k] = (br, −bi): d = (a − b)/2, c = (a + b)/2
            (local.set $dr (f32x4.mul (f32x4.sub (local.get $ar) (local.get $br)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
            (local.set $di (f32x4.mul (f32x4.add (local.get $ai) (local.get $bi)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
            (local.set $cr (f32x4.mul (f32x4.add (local.get $ar) (local.get $br)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
            (local.set $ci (f32x4.mul (f32x4.sub (local.get $ai) (local.get $bi)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
            ;; T = O·w with O = (d.im, −d.re): re = d.im·T0 + d.re·T3, im = d.im·T3 − d.re·T1
            (local.set $tr (f32x4.add (f32x4.mul (local.get $di) (v128.load32_splat (local.get $w))) (f32x4.mul (local.get $dr) (v128.load32_splat offset=12 (local.get $w)))))
            (local.set $ti (f32x4.sub (f32x4.mul (local.get $di) (v128.load32_splat offset=12 (local.get $w))) (f32x4.mul (local.get $dr) (v128.load32_splat offset=4 (local.get $w)))))
            (local.set $er (f32x4.add (local.get $cr) (local.get $tr)))
            (local.set $ei (f32x4.add (local.get $ci) (local.get $ti)))
            (local.set $a (f32x4.add (f32x4.mul (local.get $er) (local.get $er)) (f32x4.mul (local.get $ei) (local.get $ei))))
            ;; the powers as float64: frames f, f + 1 in er, f + 2, f + 3 in ei
            (local.set $er (f64x2.promote_low_f32x4 (local.get $a)))
            (local.set $ei (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $a) (local.get $a))))
            ;; the band power of frames f … f + 3 (float64)
            (if (i32.and (i32.ge_u (local.get $k) (local.get $lo)) (i32.le_u (local.get $k) (local.get $hi)))
              (then
                (local.set $sumlo (f64x2.add (local.get $sumlo) (local.get $er)))
                (local.set $sumhi (f64x2.add (local.get $sumhi) (local.get $ei)))))
            (local.set $j (i32.add (local.get $power) (i32.shl (local.get $k) (i32.const 3))))
            ;; lanes 0 … n − 1 to rows f … f + n − 1
            (v128.store64_lane 0 (local.get $j) (local.get $er))
            (if (i32.gt_u (local.get $n) (i32.const 1))
              (then
                (v128.store64_lane 1 (i32.add (local.get $j) (local.get $rowb)) (local.get $er))
                (if (i32.gt_u (local.get $n) (i32.const 2))
                  (then
                    (v128.store64_lane 0 (i32.add (local.get $j) (i32.shl (local.get $rowb) (i32.const 1))) (local.get $ei))
                    (if (i32.gt_u (local.get $n) (i32.const 3))
                      (then (v128.store64_lane 1 (i32.add (local.get $j) (i32.mul (local.get $rowb) (i32.const 3))) (local.get $ei))))))))
            (if (i32.ne (local.get $k) (local.get $half2))
              (then
                (local.set $er (f32x4.sub (local.get $cr) (local.get $tr)))
                (local.set $ei (f32x4.sub (local.get $ci) (local.get $ti)))
                (local.set $b (f32x4.add (f32x4.mul (local.get $er) (local.get $er)) (f32x4.mul (local.get $ei) (local.get $ei))))
                ;; the powers as float64: frames f, f + 1 in er, f + 2, f + 3 in ei
                (local.set $er (f64x2.promote_low_f32x4 (local.get $b)))
                (local.set $ei (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $b) (local.get $b))))
                ;; the band power of frames f … f + 3 (float64)
                (if (i32.and (i32.ge_u (i32.sub (local.get $m) (local.get $k)) (local.get $lo)) (i32.le_u (i32.sub (local.get $m) (local.get $k)) (local.get $hi)))
                  (then
                    (local.set $sumlo (f64x2.add (local.get $sumlo) (local.get $er)))
                    (local.set $sumhi (f64x2.add (local.get $sumhi) (local.get $ei)))))
                (local.set $j (i32.sub (local.get $end) (i32.shl (local.get $k) (i32.const 3))))
                ;; lanes 0 … n − 1 to rows f … f + n − 1
                (v128.store64_lane 0 (local.get $j) (local.get $er))
                (if (i32.gt_u (local.get $n) (i32.const 1))
                  (then
                    (v128.store64_lane 1 (i32.add (local.get $j) (local.get $rowb)) (local.get $er))
                    (if (i32.gt_u (local.get $n) (i32.const 2))
                      (then
                        (v128.store64_lane 0 (i32.add (local.get $j) (i32.shl (local.get $rowb) (i32.const 1))) (local.get $ei))
                        (if (i32.gt_u (local.get $n) (i32.const 3))
                          (then (v128.store64_lane 1 (i32.add (local.get $j) (i32.mul (local.get $rowb) (i32.const 3))) (local.get $ei))))))))))
            (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
            (local.set $pb (i32.sub (local.get $pb) (i32.const 32)))
            (local.set $w (i32.add (local.get $w) (i32.const 16)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $bin)))
        ;; the band powers of the frames of this group
        (local.set $j (i32.add (local.get $band) (i32.shl (local.get $f) (i32.const 3))))
        (f64.store (local.get $j) (f64x2.extract_lane 0 (local.get $sumlo)))
        (if (i32.gt_u (local.get $n) (i32.const 1))
          (then
            (f64.store offset=8 (local.get $j) (f64x2.extract_lane 1 (local.get $sumlo)))
            (if (i32.gt_u (local.get $n) (i32.const 2))
              (then
                (f64.store offset=16 (local.get $j) (f64x2.extract_lane 0 (local.get $sumhi)))
                (if (i32.gt_u (local.get $n) (i32.const 3))
                  (then (f64.store offset=24 (local.get $j) (f64x2.extract_lane 1 (local.get $sumhi)))))))))
        (local.set $power (i32.add (local.get $power) (i32.shl (local.get $rowb) (i32.const 2))))
        (local.set $f (i32.add (local.get $f) (i32.const 4)))
        (br $each_pair))))

  ;; The mel filterbank: out[f·bands + b] = Σ_k w[b·bins + k] · power[f·bins + k] over the bins
  ;; first[b] ≤ k ≤ last[b] (i32 pairs at $range) of each band, for frames f < frames. Float64;
  ;; the linear band energies, before any log. Two frames at a time (a lane each: the same sums in
  ;; the same order, their chains of additions overlapping), the last odd one alone.
  (func (export "melbands") (param $power i32) (param $frames i32) (param $bins i32) (param $w i32) (param $range i32) (param $bands i32) (param $out i32)
    (local $f i32) (local $b i32) (local $k i32) (local $last i32) (local $row i32) (local $wrow i32) (local $s f64)
    (local $rowb i32) (local $next i32) (local $sv v128)
    (local.set $rowb (i32.shl (local.get $bins) (i32.const 3)))
    (block $pairs_done
      (loop $pair
        (br_if $pairs_done (i32.ge_u (i32.add (local.get $f) (i32.const 1)) (local.get $frames)))
        (local.set $row (i32.add (local.get $power) (i32.mul (local.get $f) (local.get $rowb))))
        (local.set $next (i32.add (local.get $row) (local.get $rowb)))
        (local.set $b (i32.const 0))
        (block $bands_done
          (loop $band
            (br_if $bands_done (i32.ge_u (local.get $b) (local.get $bands)))
            (local.set $k (i32.load (i32.add (local.get $range) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $last (i32.load offset=4 (i32.add (local.get $range) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $wrow (i32.add (local.get $w) (i32.shl (i32.mul (local.get $b) (local.get $bins)) (i32.const 3))))
            (local.set $sv (v128.const f64x2 0 0))
            (block $bins_done
              (loop $bin
                (br_if $bins_done (i32.gt_s (local.get $k) (local.get $last)))
                (local.set $sv
                  (f64x2.add (local.get $sv)
                    (f64x2.mul
                      (v128.load64_splat (i32.add (local.get $wrow) (i32.shl (local.get $k) (i32.const 3))))
                      (v128.load64_lane 1 (i32.add (local.get $next) (i32.shl (local.get $k) (i32.const 3)))
                        (v128.load64_splat (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3))))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $bin)))
            (f64.store (local.get $out) (f64x2.extract_lane 0 (local.get $sv)))
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $bands) (i32.const 3))) (f64x2.extract_lane 1 (local.get $sv)))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $band)))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $bands) (i32.const 3))))
        (local.set $f (i32.add (local.get $f) (i32.const 2)))
        (br $pair)))
    (block $frames_done
      (loop $frame
        (br_if $frames_done (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $row (i32.add (local.get $power) (i32.mul (local.get $f) (local.get $rowb))))
        (local.set $b (i32.const 0))
        (block $bands_done
          (loop $band
            (br_if $bands_done (i32.ge_u (local.get $b) (local.get $bands)))
            (local.set $k (i32.load (i32.add (local.get $range) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $last (i32.load offset=4 (i32.add (local.get $range) (i32.shl (local.get $b) (i32.const 3)))))
            (local.set $wrow (i32.add (local.get $w) (i32.shl (i32.mul (local.get $b) (local.get $bins)) (i32.const 3))))
            (local.set $s (f64.const 0))
            (block $bins_done
              (loop $bin
                (br_if $bins_done (i32.gt_s (local.get $k) (local.get $last)))
                (local.set $s
                  (f64.add (local.get $s)
                    (f64.mul
                      (f64.load (i32.add (local.get $wrow) (i32.shl (local.get $k) (i32.const 3))))
                      (f64.load (i32.add (local.get $row) (i32.shl (local.get $k) (i32.const 3)))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $bin)))
            (f64.store (local.get $out) (local.get $s))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $band)))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $frame))))

  ;; x[i] = ln(x[i] + floor) for i < n, in place (float64); returns the largest result. Four at
  ;; a time (`logv2`), the largest of each lane kept, then of both and the last ones.
  (func (export "logfloor") (param $x i32) (param $n i32) (param $floor f64) (result f64)
    (local $end i32) (local $v v128) (local $w v128) (local $peaks v128) (local $fl v128) (local $peak f64) (local $u f64)
    (local.set $peaks (v128.const f64x2 -inf -inf))
    (local.set $fl (f64x2.splat (local.get $floor)))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (call $logv2 (f64x2.add (v128.load align=8 (local.get $x)) (local.get $fl)) (f64x2.add (v128.load offset=16 align=8 (local.get $x)) (local.get $fl)))
        (local.set $w)
        (local.set $v)
        (v128.store align=8 (local.get $x) (local.get $v))
        (v128.store offset=16 align=8 (local.get $x) (local.get $w))
        (local.set $peaks (f64x2.pmax (f64x2.pmax (local.get $peaks) (local.get $v)) (local.get $w)))
        (local.set $x (i32.add (local.get $x) (i32.const 32)))
        (br $each)))
    (if (i32.and (local.get $n) (i32.const 2))
      (then
        (local.set $v (call $logv (f64x2.add (v128.load align=8 (local.get $x)) (local.get $fl))))
        (v128.store align=8 (local.get $x) (local.get $v))
        (local.set $peaks (f64x2.pmax (local.get $peaks) (local.get $v)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))))
    (local.set $peak (f64x2.extract_lane 0 (local.get $peaks)))
    (local.set $u (f64x2.extract_lane 1 (local.get $peaks)))
    (if (f64.gt (local.get $u) (local.get $peak)) (then (local.set $peak (local.get $u))))
    (if (i32.and (local.get $n) (i32.const 1))
      (then
        (local.set $u (call $log (f64.add (f64.load (local.get $x)) (local.get $floor))))
        (f64.store (local.get $x) (local.get $u))
        (if (f64.gt (local.get $u) (local.get $peak)) (then (local.set $peak (local.get $u))))))
    (local.get $peak))

  ;; x[i] = ln(x[i]) (op 0, 2) or e^x[i] (op 1, 3) for i < n, in place, two at a time through
  ;; `logv` or `expv` (n even), or four at a time through `logv2` or `expv2` (ops 2 and 3, n a
  ;; multiple of 4): for tests, which hold them to `log` and `exp` bit for bit.
  (func (export "mathv") (param $x i32) (param $n i32) (param $op i32)
    (local $end i32) (local $v0 v128) (local $v1 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (if (i32.ge_u (local.get $op) (i32.const 2))
          (then
            (if (result v128 v128) (i32.eq (local.get $op) (i32.const 3))
              (then (call $expv2 (v128.load align=8 (local.get $x)) (v128.load offset=16 align=8 (local.get $x))))
              (else (call $logv2 (v128.load align=8 (local.get $x)) (v128.load offset=16 align=8 (local.get $x)))))
            (local.set $v1)
            (local.set $v0)
            (v128.store align=8 (local.get $x) (local.get $v0))
            (v128.store offset=16 align=8 (local.get $x) (local.get $v1))
            (local.set $x (i32.add (local.get $x) (i32.const 16))))
          (else
            (if (local.get $op)
              (then (v128.store align=8 (local.get $x) (call $expv (v128.load align=8 (local.get $x)))))
              (else (v128.store align=8 (local.get $x) (call $logv (v128.load align=8 (local.get $x))))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $each))))

  ;; x[i] = max(x[i], lowest) for i < n, in place (float64).
  (func (export "raiseto") (param $x i32) (param $n i32) (param $lowest f64)
    (local $end i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (if (f64.lt (f64.load (local.get $x)) (local.get $lowest)) (then (f64.store (local.get $x) (local.get $lowest))))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $each))))

  ;; out[f·rows + r] = Σ_c m[r·cols + c] · x[f·cols + c]: a float64 matrix (rows × cols) applied
  ;; to each of `frames` vectors (the DCT of MFCC).
  (func (export "matrows") (param $m i32) (param $x i32) (param $frames i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $f i32) (local $r i32) (local $c i32) (local $mrow i32) (local $s f64)
    (block $frames_done
      (loop $frame
        (br_if $frames_done (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $r (i32.const 0))
        (local.set $mrow (local.get $m))
        (block $rows_done
          (loop $row
            (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $s (f64.const 0))
            (local.set $c (i32.const 0))
            (block $cols_done
              (loop $col
                (br_if $cols_done (i32.ge_u (local.get $c) (local.get $cols)))
                (local.set $s
                  (f64.add (local.get $s)
                    (f64.mul
                      (f64.load (i32.add (local.get $mrow) (i32.shl (local.get $c) (i32.const 3))))
                      (f64.load (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 3)))))))
                (local.set $c (i32.add (local.get $c) (i32.const 1)))
                (br $col)))
            (f64.store (local.get $out) (local.get $s))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))
            (local.set $mrow (i32.add (local.get $mrow) (i32.shl (local.get $cols) (i32.const 3))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $row)))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $frame))))

  ;; Perceptual linear prediction, frame by frame: for each of `frames` rows of `bands`
  ;; natural-log band powers at $x, writes `ceps` cepstra at $out. The bands become
  ;; p[b + 1] = exp(x[b]/3 + loud[b]) (cube-root loudness), with p[0] = p[1] and
  ;; p[bands + 1] = p[bands]; autocorrelations r[k] = (p[0]/2 + Σ_{1≤b≤bands} cos[k][b]·p[b] +
  ;; cos[k][bands + 1]·p[bands + 1]/2)/(bands + 1) for k ≤ order ($cos: (order + 1) × (bands + 2)
  ;; float64); Levinson-Durbin gives the predictor a and the error; c0 = ln(error) and
  ;; c_n = −a[n] − Σ_{1≤k<n, n−k≤order} (k/n)·c_k·a[n − k], k/n read from $ratios[n·ceps + k]
  ;; (a division per term cost more than the rest of the recursion). A frame with r[0] ≤ 0 gets zeros.
  ;; $tmp: scratch for (bands + 2) + 3·(order + 1) float64.
  (func $plp1 (param $x i32) (param $frames i32) (param $bands i32) (param $loud i32) (param $cos i32)
    (param $order i32) (param $ceps i32) (param $ratios i32) (param $out i32) (param $tmp i32)
    (local $f i32) (local $b i32) (local $k i32) (local $i i32) (local $j i32) (local $n i32)
    (local $pts i32) (local $r i32) (local $a i32) (local $prev i32) (local $width i32) (local $row i32)
    (local $s f64) (local $err f64) (local $acc f64) (local $kk f64) (local $c f64) (local $inv f64)
    (local.set $width (i32.add (local.get $bands) (i32.const 2)))
    (local.set $pts (local.get $tmp))
    (local.set $r (i32.add (local.get $pts) (i32.shl (local.get $width) (i32.const 3))))
    (local.set $a (i32.add (local.get $r) (i32.shl (i32.add (local.get $order) (i32.const 1)) (i32.const 3))))
    (local.set $prev (i32.add (local.get $a) (i32.shl (i32.add (local.get $order) (i32.const 1)) (i32.const 3))))
    (local.set $inv (f64.convert_i32_u (i32.add (local.get $bands) (i32.const 1))))
    (block $frames_done
      (loop $frame
        (br_if $frames_done (i32.ge_u (local.get $f) (local.get $frames)))
        (local.set $b (i32.const 0))
        (block $pts_done
          (loop $pt
            (br_if $pts_done (i32.ge_u (local.get $b) (local.get $bands)))
            (f64.store offset=8 (i32.add (local.get $pts) (i32.shl (local.get $b) (i32.const 3)))
              (call $exp
                (f64.add
                  (f64.div (f64.load (i32.add (local.get $x) (i32.shl (local.get $b) (i32.const 3)))) (f64.const 3))
                  (f64.load (i32.add (local.get $loud) (i32.shl (local.get $b) (i32.const 3)))))))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $pt)))
        (f64.store (local.get $pts) (f64.load offset=8 (local.get $pts)))
        (f64.store offset=8 (i32.add (local.get $pts) (i32.shl (local.get $bands) (i32.const 3)))
          (f64.load (i32.add (local.get $pts) (i32.shl (local.get $bands) (i32.const 3)))))
        ;; autocorrelations
        (local.set $k (i32.const 0))
        (block $lags_done
          (loop $lag
            (br_if $lags_done (i32.gt_u (local.get $k) (local.get $order)))
            (local.set $row (i32.add (local.get $cos) (i32.shl (i32.mul (local.get $k) (local.get $width)) (i32.const 3))))
            (local.set $s
              (f64.mul (f64.const 0.5)
                (f64.add (f64.load (local.get $pts))
                  (f64.mul
                    (f64.load (i32.add (local.get $row) (i32.shl (i32.add (local.get $bands) (i32.const 1)) (i32.const 3))))
                    (f64.load (i32.add (local.get $pts) (i32.shl (i32.add (local.get $bands) (i32.const 1)) (i32.const 3))))))))
            (local.set $b (i32.const 1))
            (block $sum_done
              (loop $sum
                (br_if $sum_done (i32.gt_u (local.get $b) (local.get $bands)))
                (local.set $s
                  (f64.add (local.get $s)
                    (f64.mul
                      (f64.load (i32.add (local.get $row) (i32.shl (local.get $b) (i32.const 3))))
                      (f64.load (i32.add (local.get $pts) (i32.shl (local.get $b) (i32.const 3)))))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $sum)))
            (f64.store (i32.add (local.get $r) (i32.shl (local.get $k) (i32.const 3))) (f64.div (local.get $s) (local.get $inv)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $lag)))
        (local.set $err (f64.load (local.get $r)))
        (if (i32.eqz (f64.gt (local.get $err) (f64.const 0)))
          (then
            (local.set $n (i32.const 0))
            (block $zeros_done
              (loop $zero
                (br_if $zeros_done (i32.ge_u (local.get $n) (local.get $ceps)))
                (f64.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (f64.const 0))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (br $zero))))
          (else
            ;; Levinson-Durbin
            (local.set $i (i32.const 0))
            (block $clear_done
              (loop $clear
                (br_if $clear_done (i32.gt_u (local.get $i) (local.get $order)))
                (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (f64.const 0))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $clear)))
            (f64.store (local.get $a) (f64.const 1))
            (local.set $i (i32.const 1))
            (block $levinson_done
              (loop $levinson
                (br_if $levinson_done (i32.gt_u (local.get $i) (local.get $order)))
                (local.set $acc (f64.load (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $j (i32.const 1))
                (block $acc_done
                  (loop $accumulate
                    (br_if $acc_done (i32.ge_u (local.get $j) (local.get $i)))
                    (local.set $acc
                      (f64.add (local.get $acc)
                        (f64.mul
                          (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3))))
                          (f64.load (i32.add (local.get $r) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3)))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $accumulate)))
                (local.set $kk (f64.div (f64.neg (local.get $acc)) (local.get $err)))
                (local.set $j (i32.const 0))
                (block $copy_done
                  (loop $copy
                    (br_if $copy_done (i32.ge_u (local.get $j) (local.get $i)))
                    (f64.store (i32.add (local.get $prev) (i32.shl (local.get $j) (i32.const 3)))
                      (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3)))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $copy)))
                (local.set $j (i32.const 1))
                (block $update_done
                  (loop $update
                    (br_if $update_done (i32.ge_u (local.get $j) (local.get $i)))
                    (f64.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3)))
                      (f64.add
                        (f64.load (i32.add (local.get $prev) (i32.shl (local.get $j) (i32.const 3))))
                        (f64.mul (local.get $kk) (f64.load (i32.add (local.get $prev) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 3)))))))
                    (local.set $j (i32.add (local.get $j) (i32.const 1)))
                    (br $update)))
                (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (local.get $kk))
                (local.set $err (f64.mul (local.get $err) (f64.max (f64.const 1e-9) (f64.sub (f64.const 1) (f64.mul (local.get $kk) (local.get $kk))))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $levinson)))
            ;; cepstra of error/|A|²
            (f64.store (local.get $out) (call $log (local.get $err)))
            (local.set $n (i32.const 1))
            (block $ceps_done
              (loop $cep
                (br_if $ceps_done (i32.ge_u (local.get $n) (local.get $ceps)))
                (local.set $c (f64.const 0))
                (if (i32.le_u (local.get $n) (local.get $order))
                  (then (local.set $c (f64.neg (f64.load (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))))))
                (local.set $k (i32.const 1))
                (block $terms_done
                  (loop $term
                    (br_if $terms_done (i32.ge_u (local.get $k) (local.get $n)))
                    (if (i32.le_u (i32.sub (local.get $n) (local.get $k)) (local.get $order))
                      (then
                        (local.set $c
                          (f64.sub (local.get $c)
                            (f64.mul
                              (f64.mul
                                (f64.load (i32.add (local.get $ratios) (i32.shl (i32.add (i32.mul (local.get $n) (local.get $ceps)) (local.get $k)) (i32.const 3))))
                                (f64.load (i32.add (local.get $out) (i32.shl (local.get $k) (i32.const 3)))))
                              (f64.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 3)))))))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $term)))
                (f64.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (local.get $c))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (br $cep)))))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $bands) (i32.const 3))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $ceps) (i32.const 3))))
        (local.set $f (i32.add (local.get $f) (i32.const 1)))
        (br $frame))))

;; `plp1` two frames at a time, frame f in lane 0 and f + 1 in lane 1 of float64 vectors: the
  ;; same operations in the same order per lane, so the same results, but the recursions'
  ;; chains of latency (Levinson-Durbin, the cepstra) are paid once per pair, exp and log are
  ;; `expv` and `logv`. A frame left over goes to `plp1`. $tmp: scratch for 16·((bands + 2) + 3·(order + 1)
  ;; + ceps) bytes, 16-byte aligned.
  (func (export "plp") (param $x i32) (param $frames i32) (param $bands i32) (param $loud i32) (param $cos i32)
    (param $order i32) (param $ceps i32) (param $ratios i32) (param $out i32) (param $tmp i32)
    (local $f i32) (local $b i32) (local $k i32) (local $i i32) (local $j i32) (local $n i32)
    (local $pts i32) (local $r i32) (local $a i32) (local $prev i32) (local $cv i32) (local $width i32) (local $row i32) (local $y i32)
    (local $s v128) (local $err v128) (local $acc v128) (local $kk v128) (local $c v128) (local $inv v128) (local $ok v128)
    (local.set $width (i32.add (local.get $bands) (i32.const 2)))
    (local.set $pts (local.get $tmp))
    (local.set $r (i32.add (local.get $pts) (i32.shl (local.get $width) (i32.const 4))))
    (local.set $a (i32.add (local.get $r) (i32.shl (i32.add (local.get $order) (i32.const 1)) (i32.const 4))))
    (local.set $prev (i32.add (local.get $a) (i32.shl (i32.add (local.get $order) (i32.const 1)) (i32.const 4))))
    (local.set $cv (i32.add (local.get $prev) (i32.shl (i32.add (local.get $order) (i32.const 1)) (i32.const 4))))
    (local.set $inv (f64x2.splat (f64.convert_i32_u (i32.add (local.get $bands) (i32.const 1)))))
    (local.set $y (i32.add (local.get $x) (i32.shl (local.get $bands) (i32.const 3))))
    (block $frames_done
      (loop $frame
        (br_if $frames_done (i32.ge_u (i32.add (local.get $f) (i32.const 1)) (local.get $frames)))
        (local.set $b (i32.const 0))
        (block $pts_done
          (loop $pt
            (br_if $pts_done (i32.ge_u (i32.add (local.get $b) (i32.const 1)) (local.get $bands)))
            (local.set $i (i32.shl (local.get $b) (i32.const 3)))
            (call $expv2
              (f64x2.add
                (f64x2.div
                  (v128.load64_lane 1 (i32.add (local.get $y) (local.get $i)) (v128.load64_splat (i32.add (local.get $x) (local.get $i))))
                  (v128.const f64x2 3 3))
                (v128.load64_splat (i32.add (local.get $loud) (local.get $i))))
              (f64x2.add
                (f64x2.div
                  (v128.load64_lane offset=8 1 (i32.add (local.get $y) (local.get $i)) (v128.load64_splat offset=8 (i32.add (local.get $x) (local.get $i))))
                  (v128.const f64x2 3 3))
                (v128.load64_splat offset=8 (i32.add (local.get $loud) (local.get $i)))))
            (local.set $c)
            (local.set $s)
            (local.set $i (i32.add (local.get $pts) (i32.shl (local.get $b) (i32.const 4))))
            (v128.store offset=16 (local.get $i) (local.get $s))
            (v128.store offset=32 (local.get $i) (local.get $c))
            (local.set $b (i32.add (local.get $b) (i32.const 2)))
            (br $pt)))
        (if (i32.lt_u (local.get $b) (local.get $bands))
          (then
            (v128.store offset=16 (i32.add (local.get $pts) (i32.shl (local.get $b) (i32.const 4)))
              (call $expv
                (f64x2.add
                  (f64x2.div
                    (v128.load64_lane 1 (i32.add (local.get $y) (i32.shl (local.get $b) (i32.const 3)))
                      (v128.load64_splat (i32.add (local.get $x) (i32.shl (local.get $b) (i32.const 3)))))
                    (v128.const f64x2 3 3))
                  (v128.load64_splat (i32.add (local.get $loud) (i32.shl (local.get $b) (i32.const 3)))))))))
        (v128.store (local.get $pts) (v128.load offset=16 (local.get $pts)))
        (local.set $i (i32.add (local.get $pts) (i32.shl (local.get $bands) (i32.const 4))))
        (v128.store offset=16 (local.get $i) (v128.load (local.get $i)))
        ;; autocorrelations
        (local.set $k (i32.const 0))
        (block $lags_done
          (loop $lag
            (br_if $lags_done (i32.gt_u (local.get $k) (local.get $order)))
            (local.set $row (i32.add (local.get $cos) (i32.shl (i32.mul (local.get $k) (local.get $width)) (i32.const 3))))
            (local.set $s
              (f64x2.mul (v128.const f64x2 0.5 0.5)
                (f64x2.add (v128.load (local.get $pts))
                  (f64x2.mul
                    (v128.load64_splat (i32.add (local.get $row) (i32.shl (i32.add (local.get $bands) (i32.const 1)) (i32.const 3))))
                    (v128.load (i32.add (local.get $pts) (i32.shl (i32.add (local.get $bands) (i32.const 1)) (i32.const 4))))))))
            (local.set $b (i32.const 1))
            (block $sum_done
              (loop $sum
                (br_if $sum_done (i32.gt_u (local.get $b) (local.get $bands)))
                (local.set $s
                  (f64x2.add (local.get $s)
                    (f64x2.mul
                      (v128.load64_splat (i32.add (local.get $row) (i32.shl (local.get $b) (i32.const 3))))
                      (v128.load (i32.add (local.get $pts) (i32.shl (local.get $b) (i32.const 4)))))))
                (local.set $b (i32.add (local.get $b) (i32.const 1)))
                (br $sum)))
            (v128.store (i32.add (local.get $r) (i32.shl (local.get $k) (i32.const 4))) (f64x2.div (local.get $s) (local.get $inv)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $lag)))
        (local.set $err (v128.load (local.get $r)))
        ;; lanes whose r[0] is not positive get zeros (computed anyway, then replaced)
        (local.set $ok (f64x2.gt (local.get $err) (v128.const f64x2 0 0)))
        ;; Levinson-Durbin
        (local.set $i (i32.const 0))
        (block $clear_done
          (loop $clear
            (br_if $clear_done (i32.gt_u (local.get $i) (local.get $order)))
            (v128.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 4))) (v128.const f64x2 0 0))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $clear)))
        (v128.store (local.get $a) (v128.const f64x2 1 1))
        (local.set $i (i32.const 1))
        (block $levinson_done
          (loop $levinson
            (br_if $levinson_done (i32.gt_u (local.get $i) (local.get $order)))
            (local.set $acc (v128.load (i32.add (local.get $r) (i32.shl (local.get $i) (i32.const 4)))))
            (local.set $j (i32.const 1))
            (block $acc_done
              (loop $accumulate
                (br_if $acc_done (i32.ge_u (local.get $j) (local.get $i)))
                (local.set $acc
                  (f64x2.add (local.get $acc)
                    (f64x2.mul
                      (v128.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 4))))
                      (v128.load (i32.add (local.get $r) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 4)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $accumulate)))
            (local.set $kk (f64x2.div (f64x2.neg (local.get $acc)) (local.get $err)))
            (local.set $j (i32.const 0))
            (block $copy_done
              (loop $copy
                (br_if $copy_done (i32.ge_u (local.get $j) (local.get $i)))
                (v128.store (i32.add (local.get $prev) (i32.shl (local.get $j) (i32.const 4)))
                  (v128.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 4)))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $copy)))
            (local.set $j (i32.const 1))
            (block $update_done
              (loop $update
                (br_if $update_done (i32.ge_u (local.get $j) (local.get $i)))
                (v128.store (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 4)))
                  (f64x2.add
                    (v128.load (i32.add (local.get $prev) (i32.shl (local.get $j) (i32.const 4))))
                    (f64x2.mul (local.get $kk) (v128.load (i32.add (local.get $prev) (i32.shl (i32.sub (local.get $i) (local.get $j)) (i32.const 4)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $update)))
            (v128.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 4))) (local.get $kk))
            (local.set $err
              (f64x2.mul (local.get $err)
                (f64x2.max (v128.const f64x2 1e-9 1e-9) (f64x2.sub (v128.const f64x2 1 1) (f64x2.mul (local.get $kk) (local.get $kk))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $levinson)))
        ;; cepstra of error/|A|²
        (v128.store (local.get $cv) (call $logv (local.get $err)))
        (local.set $n (i32.const 1))
        (block $ceps_done
          (loop $cep
            (br_if $ceps_done (i32.ge_u (local.get $n) (local.get $ceps)))
            (local.set $c (v128.const f64x2 0 0))
            (if (i32.le_u (local.get $n) (local.get $order))
              (then (local.set $c (f64x2.neg (v128.load (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 4))))))))
            (local.set $k (i32.const 1))
            (block $terms_done
              (loop $term
                (br_if $terms_done (i32.ge_u (local.get $k) (local.get $n)))
                (if (i32.le_u (i32.sub (local.get $n) (local.get $k)) (local.get $order))
                  (then
                    (local.set $c
                      (f64x2.sub (local.get $c)
                        (f64x2.mul
                          (f64x2.mul
                            (v128.load64_splat (i32.add (local.get $ratios) (i32.shl (i32.add (i32.mul (local.get $n) (local.get $ceps)) (local.get $k)) (i32.const 3))))
                            (v128.load (i32.add (local.get $cv) (i32.shl (local.get $k) (i32.const 4)))))
                          (v128.load (i32.add (local.get $a) (i32.shl (i32.sub (local.get $n) (local.get $k)) (i32.const 4)))))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $term)))
            (v128.store (i32.add (local.get $cv) (i32.shl (local.get $n) (i32.const 4))) (local.get $c))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $cep)))
        ;; the two frames' rows
        (local.set $n (i32.const 0))
        (block $rows_done
          (loop $rowput
            (br_if $rows_done (i32.ge_u (local.get $n) (local.get $ceps)))
            (local.set $c (v128.and (v128.load (i32.add (local.get $cv) (i32.shl (local.get $n) (i32.const 4)))) (local.get $ok)))
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (f64x2.extract_lane 0 (local.get $c)))
            (f64.store (i32.add (local.get $out) (i32.shl (i32.add (local.get $n) (local.get $ceps)) (i32.const 3))) (f64x2.extract_lane 1 (local.get $c)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $rowput)))
        (local.set $x (i32.add (local.get $x) (i32.shl (local.get $bands) (i32.const 4))))
        (local.set $y (i32.add (local.get $y) (i32.shl (local.get $bands) (i32.const 4))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $ceps) (i32.const 4))))
        (local.set $f (i32.add (local.get $f) (i32.const 2)))
        (br $frame)))
    (if (i32.lt_u (local.get $f) (local.get $frames))
      (then
        (call $plp1 (local.get $x) (i32.const 1) (local.get $bands) (local.get $loud) (local.get $cos)
          (local.get $order) (local.get $ceps) (local.get $ratios) (local.get $out) (local.get $tmp)))))

  ;; out[offset + s·d + k] = mean of src[f·d + k] over frames lo(s) ≤ f < hi(s) of the time grid
  ;; of `segments` equal parts of len frames (a part shorter than a frame takes the frame at its
  ;; middle). Float64; two cepstra at a time (a lane each, the same sums in the same order), the
  ;; last of an odd d alone.
  (func $gridpool (param $src i32) (param $len i32) (param $d i32) (param $segments i32) (param $out i32)
    (local $s i32) (local $lo i32) (local $hi i32) (local $f i32) (local $k i32) (local $o i32) (local $g f64)
    (local $row i32) (local $dd i32) (local $pairs i32) (local $acc v128) (local $sum f64)
    (local.set $dd (i32.shl (local.get $d) (i32.const 3)))
    (local.set $pairs (i32.and (local.get $d) (i32.const -2)))
    (block $segs_done
      (loop $seg
        (br_if $segs_done (i32.ge_u (local.get $s) (local.get $segments)))
        (local.set $lo (i32.div_u (i32.mul (local.get $s) (local.get $len)) (local.get $segments)))
        (local.set $hi (i32.div_u (i32.mul (i32.add (local.get $s) (i32.const 1)) (local.get $len)) (local.get $segments)))
        (if (i32.le_u (local.get $hi) (local.get $lo))
          (then
            (local.set $lo (i32.div_u (i32.mul (i32.add (i32.shl (local.get $s) (i32.const 1)) (i32.const 1)) (local.get $len)) (i32.shl (local.get $segments) (i32.const 1))))
            (if (i32.gt_u (local.get $lo) (i32.sub (local.get $len) (i32.const 1))) (then (local.set $lo (i32.sub (local.get $len) (i32.const 1)))))
            (local.set $hi (i32.add (local.get $lo) (i32.const 1)))))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $s) (local.get $dd))))
        (local.set $g (f64.div (f64.const 1) (f64.convert_i32_u (i32.sub (local.get $hi) (local.get $lo)))))
        (local.set $k (i32.const 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $k) (local.get $pairs)))
            (local.set $acc (v128.const f64x2 0 0))
            (local.set $row (i32.add (local.get $src) (i32.add (i32.mul (local.get $lo) (local.get $dd)) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $f (local.get $lo))
            (block $f_done
              (loop $fr
                (br_if $f_done (i32.ge_u (local.get $f) (local.get $hi)))
                (local.set $acc (f64x2.add (local.get $acc) (v128.load align=8 (local.get $row))))
                (local.set $row (i32.add (local.get $row) (local.get $dd)))
                (local.set $f (i32.add (local.get $f) (i32.const 1)))
                (br $fr)))
            (v128.store align=8 (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3))) (f64x2.mul (local.get $acc) (f64x2.splat (local.get $g))))
            (local.set $k (i32.add (local.get $k) (i32.const 2)))
            (br $pair)))
        (if (i32.lt_u (local.get $k) (local.get $d))
          (then
            (local.set $sum (f64.const 0))
            (local.set $row (i32.add (local.get $src) (i32.add (i32.mul (local.get $lo) (local.get $dd)) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $f (local.get $lo))
            (block $f_done
              (loop $fr
                (br_if $f_done (i32.ge_u (local.get $f) (local.get $hi)))
                (local.set $sum (f64.add (local.get $sum) (f64.load (local.get $row))))
                (local.set $row (i32.add (local.get $row) (local.get $dd)))
                (local.set $f (i32.add (local.get $f) (i32.const 1)))
                (br $fr)))
            (f64.store (i32.add (local.get $o) (i32.shl (local.get $k) (i32.const 3))) (f64.mul (local.get $sum) (local.get $g)))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $seg))))

  ;; The utterance feature vector of len ≥ 1 frames of d cepstra at $c (float64): their time
  ;; grid (`gridpool`), then the mean and standard deviation of each cepstrum and of its delta
  ;; (regression over ±width frames, the ends repeated), then, with $gridDeltas, the deltas' time
  ;; grid. $deltas: scratch for len·d float64. Two cepstra at a time (a lane each, every sum in
  ;; the same order as one at a time), the last of an odd d alone (a lane of its own, the other
  ;; lane's results not stored).
  (func (export "pool") (param $c i32) (param $len i32) (param $d i32) (param $segments i32) (param $width i32)
    (param $gridDeltas i32) (param $out i32) (param $deltas i32)
    (local $meanC i32) (local $stdC i32) (local $meanD i32) (local $stdD i32) (local $f i32) (local $k i32) (local $w i32)
    (local $fp i32) (local $fm i32) (local $last i32) (local $norm f64) (local $n f64)
    (local $dd i32) (local $two i32) (local $at i32)
    (local $s v128) (local $delta v128) (local $v v128) (local $mc v128) (local $sc v128) (local $md v128) (local $sd v128)
    (local $vn v128) (local $vm v128)
    (call $gridpool (local.get $c) (local.get $len) (local.get $d) (local.get $segments) (local.get $out))
    (local.set $dd (i32.shl (local.get $d) (i32.const 3)))
    (local.set $meanC (i32.add (local.get $out) (i32.mul (local.get $segments) (local.get $dd))))
    (local.set $stdC (i32.add (local.get $meanC) (local.get $dd)))
    (local.set $meanD (i32.add (local.get $stdC) (local.get $dd)))
    (local.set $stdD (i32.add (local.get $meanD) (local.get $dd)))
    (local.set $w (i32.const 1))
    (block $n_done
      (loop $nw
        (br_if $n_done (i32.gt_u (local.get $w) (local.get $width)))
        (local.set $norm (f64.add (local.get $norm) (f64.convert_i32_u (i32.shl (i32.mul (local.get $w) (local.get $w)) (i32.const 1)))))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $nw)))
    (local.set $last (i32.sub (local.get $len) (i32.const 1)))
    (local.set $n (f64.convert_i32_u (local.get $len)))
    (local.set $vn (f64x2.splat (local.get $n)))
    (block $ks_done
      (loop $ks
        (br_if $ks_done (i32.ge_u (local.get $k) (local.get $d)))
        (local.set $two (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $d)))
        (local.set $mc (v128.const f64x2 0 0))
        (local.set $sc (v128.const f64x2 0 0))
        (local.set $md (v128.const f64x2 0 0))
        (local.set $sd (v128.const f64x2 0 0))
        (local.set $f (i32.const 0))
        (block $f_done
          (loop $fr
            (br_if $f_done (i32.ge_u (local.get $f) (local.get $len)))
            (local.set $s (v128.const f64x2 0 0))
            (local.set $w (i32.const 1))
            (block $w_done
              (loop $ww
                (br_if $w_done (i32.gt_u (local.get $w) (local.get $width)))
                (local.set $fp (i32.add (local.get $f) (local.get $w)))
                (if (i32.gt_u (local.get $fp) (local.get $last)) (then (local.set $fp (local.get $last))))
                (local.set $fm (i32.sub (local.get $f) (local.get $w)))
                (if (i32.lt_s (local.get $fm) (i32.const 0)) (then (local.set $fm (i32.const 0))))
                (local.set $s
                  (f64x2.add (local.get $s)
                    (f64x2.mul (f64x2.splat (f64.convert_i32_u (local.get $w)))
                      (f64x2.sub
                        (v128.load align=8 (i32.add (local.get $c) (i32.add (i32.mul (local.get $fp) (local.get $dd)) (i32.shl (local.get $k) (i32.const 3)))))
                        (v128.load align=8 (i32.add (local.get $c) (i32.add (i32.mul (local.get $fm) (local.get $dd)) (i32.shl (local.get $k) (i32.const 3)))))))))
                (local.set $w (i32.add (local.get $w) (i32.const 1)))
                (br $ww)))
            (local.set $delta (f64x2.div (local.get $s) (f64x2.splat (local.get $norm))))
            (local.set $at (i32.add (i32.mul (local.get $f) (local.get $dd)) (i32.shl (local.get $k) (i32.const 3))))
            (if (local.get $two)
              (then (v128.store align=8 (i32.add (local.get $deltas) (local.get $at)) (local.get $delta)))
              (else (v128.store64_lane align=8 0 (i32.add (local.get $deltas) (local.get $at)) (local.get $delta))))
            (local.set $v (v128.load align=8 (i32.add (local.get $c) (local.get $at))))
            (local.set $mc (f64x2.add (local.get $mc) (local.get $v)))
            (local.set $sc (f64x2.add (local.get $sc) (f64x2.mul (local.get $v) (local.get $v))))
            (local.set $md (f64x2.add (local.get $md) (local.get $delta)))
            (local.set $sd (f64x2.add (local.get $sd) (f64x2.mul (local.get $delta) (local.get $delta))))
            (local.set $f (i32.add (local.get $f) (i32.const 1)))
            (br $fr)))
        (local.set $mc (f64x2.div (local.get $mc) (local.get $vn)))
        (local.set $sc (f64x2.sqrt (f64x2.max (v128.const f64x2 0 0) (f64x2.sub (f64x2.div (local.get $sc) (local.get $vn)) (f64x2.mul (local.get $mc) (local.get $mc))))))
        (local.set $md (f64x2.div (local.get $md) (local.get $vn)))
        (local.set $sd (f64x2.sqrt (f64x2.max (v128.const f64x2 0 0) (f64x2.sub (f64x2.div (local.get $sd) (local.get $vn)) (f64x2.mul (local.get $md) (local.get $md))))))
        (local.set $at (i32.shl (local.get $k) (i32.const 3)))
        (if (local.get $two)
          (then
            (v128.store align=8 (i32.add (local.get $meanC) (local.get $at)) (local.get $mc))
            (v128.store align=8 (i32.add (local.get $stdC) (local.get $at)) (local.get $sc))
            (v128.store align=8 (i32.add (local.get $meanD) (local.get $at)) (local.get $md))
            (v128.store align=8 (i32.add (local.get $stdD) (local.get $at)) (local.get $sd)))
          (else
            (v128.store64_lane align=8 0 (i32.add (local.get $meanC) (local.get $at)) (local.get $mc))
            (v128.store64_lane align=8 0 (i32.add (local.get $stdC) (local.get $at)) (local.get $sc))
            (v128.store64_lane align=8 0 (i32.add (local.get $meanD) (local.get $at)) (local.get $md))
            (v128.store64_lane align=8 0 (i32.add (local.get $stdD) (local.get $at)) (local.get $sd))))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $ks)))
    (if (local.get $gridDeltas)
      (then (call $gridpool (local.get $deltas) (local.get $len) (local.get $d) (local.get $segments) (i32.add (local.get $stdD) (local.get $dd))))))

  ;; Natural logarithm of a positive, finite float64 (fdlibm's algorithm as musl had it: x = 2^k·(1 + f)
  ;; with 1 + f in [√2/2, √2), s = f/(2 + f), a polynomial in s²; error below 1 ulp). Zero gives
  ;; −∞, negatives and NaN give NaN, subnormals are scaled up first.
  (func $log (export "log") (param $x f64) (result f64)
    (local $bits i64) (local $hx i32) (local $k i32) (local $f f64) (local $hfsq f64) (local $s f64) (local $z f64) (local $w f64) (local $r f64) (local $dk f64)
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
    (if (i32.or (i32.lt_u (local.get $hx) (i32.const 0x00100000)) (i32.shr_u (local.get $hx) (i32.const 31)))
      (then
        (if (f64.eq (local.get $x) (f64.const 0)) (then (return (f64.const -inf))))
        (if (i32.shr_u (local.get $hx) (i32.const 31)) (then (return (f64.const nan))))
        ;; subnormal: scale up by 2^54
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 0x1p54)))
        (local.set $bits (i64.reinterpret_f64 (local.get $x)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))))
    (if (i32.ge_u (local.get $hx) (i32.const 0x7ff00000)) (then (return (local.get $x))))
    (if (i64.eq (local.get $bits) (i64.const 0x3ff0000000000000)) (then (return (f64.const 0))))
    (local.set $hx (i32.add (local.get $hx) (i32.const 0x95f62)))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_u (local.get $hx) (i32.const 20)) (i32.const 0x3ff))))
    (local.set $hx (i32.add (i32.and (local.get $hx) (i32.const 0x000fffff)) (i32.const 0x3fe6a09e)))
    (local.set $x
      (f64.reinterpret_i64
        (i64.or (i64.shl (i64.extend_i32_u (local.get $hx)) (i64.const 32)) (i64.and (local.get $bits) (i64.const 0xffffffff)))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $r
      (f64.add
        (f64.mul (local.get $z)
          (f64.add (f64.const 6.666666666666735130e-01)
            (f64.mul (local.get $w)
              (f64.add (f64.const 2.857142874366239149e-01)
                (f64.mul (local.get $w)
                  (f64.add (f64.const 1.818357216161805012e-01) (f64.mul (local.get $w) (f64.const 1.479819860511658591e-01))))))))
        (f64.mul (local.get $w)
          (f64.add (f64.const 3.999999999940941908e-01)
            (f64.mul (local.get $w)
              (f64.add (f64.const 2.222219843214978396e-01) (f64.mul (local.get $w) (f64.const 1.531383769920937332e-01))))))))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (f64.add
      (f64.add
        (f64.sub
          (f64.add
            (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r)))
            (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))
          (local.get $hfsq))
        (local.get $f))
      (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))))

  ;; e^x of a float64 (fdlibm's algorithm as musl had it: x = k·ln2 + r with |r| ≤ ln2/2, a
  ;; rational approximation of e^r, scaled by 2^k; error below 1 ulp). Overflow gives +∞, deep
  ;; underflow 0, NaN gives NaN.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $hx i32) (local $sign i32) (local $k i32) (local $hi f64) (local $lo f64) (local $xx f64) (local $c f64) (local $y f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (local.set $sign (i32.shr_u (local.get $hx) (i32.const 31)))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x7fffffff)))
    (if (i32.ge_u (local.get $hx) (i32.const 0x4086232b))
      (then
        (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
        (if (f64.gt (local.get $x) (f64.const 709.782712893383973096)) (then (return (f64.const inf))))
        (if (f64.lt (local.get $x) (f64.const -745.13321910194110842)) (then (return (f64.const 0))))))
    (if (i32.gt_u (local.get $hx) (i32.const 0x3fd62e42))
      (then
        (if (i32.ge_u (local.get $hx) (i32.const 0x3ff0a2b2))
          (then
            (local.set $k
              (i32.trunc_f64_s
                (f64.add (f64.mul (f64.const 1.44269504088896338700e+00) (local.get $x))
                  (select (f64.const -0.5) (f64.const 0.5) (local.get $sign))))))
          (else (local.set $k (i32.sub (i32.sub (i32.const 1) (local.get $sign)) (local.get $sign)))))
        (local.set $hi (f64.sub (local.get $x) (f64.mul (f64.convert_i32_s (local.get $k)) (f64.const 6.93147180369123816490e-01))))
        (local.set $lo (f64.mul (f64.convert_i32_s (local.get $k)) (f64.const 1.90821492927058770002e-10)))
        (local.set $x (f64.sub (local.get $hi) (local.get $lo))))
      (else
        (if (i32.gt_u (local.get $hx) (i32.const 0x3e300000))
          (then (local.set $hi (local.get $x)))
          (else (return (f64.add (f64.const 1) (local.get $x)))))))
    (local.set $xx (f64.mul (local.get $x) (local.get $x)))
    (local.set $c
      (f64.sub (local.get $x)
        (f64.mul (local.get $xx)
          (f64.add (f64.const 1.66666666666666019037e-01)
            (f64.mul (local.get $xx)
              (f64.add (f64.const -2.77777777770155933842e-03)
                (f64.mul (local.get $xx)
                  (f64.add (f64.const 6.61375632143793436117e-05)
                    (f64.mul (local.get $xx)
                      (f64.add (f64.const -1.65339022054652515390e-06) (f64.mul (local.get $xx) (f64.const 4.13813679705723846039e-08))))))))))))
    (local.set $y
      (f64.add (f64.const 1)
        (f64.add
          (f64.sub (f64.div (f64.mul (local.get $x) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))) (local.get $lo))
          (local.get $hi))))
    (if (i32.eqz (local.get $k)) (then (return (local.get $y))))
    (call $scale (local.get $y) (local.get $k)))

;; `log` of both lanes of a float64 vector: the same operations lane by lane, so the same
  ;; results; a vector with a lane that is not a positive normal number goes to `log` lane by lane.
  (func $logv (param $x v128) (result v128)
    (local $hx v128) (local $k v128) (local $f v128) (local $hfsq v128) (local $s v128) (local $z v128) (local $w v128) (local $r v128) (local $dk v128) (local $t v128)
    (local.set $hx (i64x2.shr_u (local.get $x) (i32.const 32)))
    (local.set $t (i64x2.sub (local.get $hx) (v128.const i64x2 0x00100000 0x00100000)))
    (if (v128.any_true
          (v128.or
            (i64x2.lt_s (local.get $t) (v128.const i64x2 0 0))
            (i64x2.ge_s (local.get $t) (v128.const i64x2 0x7fe00000 0x7fe00000))))
      (then
        (return
          (f64x2.replace_lane 1
            (f64x2.splat (call $log (f64x2.extract_lane 0 (local.get $x))))
            (call $log (f64x2.extract_lane 1 (local.get $x)))))))
    (local.set $hx (i64x2.add (local.get $hx) (v128.const i64x2 0x95f62 0x95f62)))
    (local.set $k (i64x2.sub (i64x2.shr_u (local.get $hx) (i32.const 20)) (v128.const i64x2 0x3ff 0x3ff)))
    (local.set $hx (i64x2.add (v128.and (local.get $hx) (v128.const i64x2 0x000fffff 0x000fffff)) (v128.const i64x2 0x3fe6a09e 0x3fe6a09e)))
    (local.set $f
      (f64x2.sub
        (v128.or (i64x2.shl (local.get $hx) (i32.const 32)) (v128.and (local.get $x) (v128.const i64x2 0xffffffff 0xffffffff)))
        (v128.const f64x2 1 1)))
    (local.set $hfsq (f64x2.mul (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $f)) (local.get $f)))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (v128.const f64x2 2 2) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    (local.set $r
      (f64x2.add
        (f64x2.mul (local.get $z)
          (f64x2.add (v128.const f64x2 6.666666666666735130e-01 6.666666666666735130e-01)
            (f64x2.mul (local.get $w)
              (f64x2.add (v128.const f64x2 2.857142874366239149e-01 2.857142874366239149e-01)
                (f64x2.mul (local.get $w)
                  (f64x2.add (v128.const f64x2 1.818357216161805012e-01 1.818357216161805012e-01)
                    (f64x2.mul (local.get $w) (v128.const f64x2 1.479819860511658591e-01 1.479819860511658591e-01))))))))
        (f64x2.mul (local.get $w)
          (f64x2.add (v128.const f64x2 3.999999999940941908e-01 3.999999999940941908e-01)
            (f64x2.mul (local.get $w)
              (f64x2.add (v128.const f64x2 2.222219843214978396e-01 2.222219843214978396e-01)
                (f64x2.mul (local.get $w) (v128.const f64x2 1.531383769920937332e-01 1.531383769920937332e-01))))))))
    (local.set $dk (f64x2.convert_low_i32x4_s (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $k) (local.get $k))))
    (f64x2.add
      (f64x2.add
        (f64x2.sub
          (f64x2.add
            (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $r)))
            (f64x2.mul (local.get $dk) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
          (local.get $hfsq))
        (local.get $f))
      (f64x2.mul (local.get $dk) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))

  ;; `exp` of both lanes of a float64 vector: the same operations lane by lane, so the same
  ;; results (k = 0 for |x| ≤ ln2/2 through the general reduction: x − 0·ln2 is x, and the scale
  ;; by 2^0 is exact); a vector with a lane beyond 708 or below 2^−28 in magnitude goes to `exp`
  ;; lane by lane.
  (func $expv (param $x v128) (result v128)
    (local $hx v128) (local $big v128) (local $mid v128) (local $k v128) (local $kd v128) (local $hi v128) (local $lo v128)
    (local $xx v128) (local $c v128) (local $y v128) (local $h v128)
    (local.set $hx (v128.and (i64x2.shr_u (local.get $x) (i32.const 32)) (v128.const i64x2 0x7fffffff 0x7fffffff)))
    (if (v128.any_true
          (v128.or
            (i64x2.ge_s (local.get $hx) (v128.const i64x2 0x4086232b 0x4086232b))
            (i64x2.le_s (local.get $hx) (v128.const i64x2 0x3e300000 0x3e300000))))
      (then
        (return
          (f64x2.replace_lane 1
            (f64x2.splat (call $exp (f64x2.extract_lane 0 (local.get $x))))
            (call $exp (f64x2.extract_lane 1 (local.get $x)))))))
    ;; k: round(x/ln2) from 1.5·ln2 on, ±1 above ln2/2, else 0 (as i32 in lanes 0 and 1)
    (local.set $big (i64x2.ge_s (local.get $hx) (v128.const i64x2 0x3ff0a2b2 0x3ff0a2b2)))
    (local.set $mid (i64x2.gt_s (local.get $hx) (v128.const i64x2 0x3fd62e42 0x3fd62e42)))
    (local.set $k
      (v128.bitselect
        (i32x4.trunc_sat_f64x2_s_zero
          (f64x2.add (f64x2.mul (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00) (local.get $x))
            (v128.bitselect (v128.const f64x2 -0.5 -0.5) (v128.const f64x2 0.5 0.5) (i64x2.shr_s (local.get $x) (i32.const 63)))))
        (v128.and
          ;; 1 − 2·sign
          (i32x4.sub (v128.const i32x4 1 1 1 1)
            (i32x4.shl (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (i64x2.shr_u (local.get $x) (i32.const 63)) (local.get $x)) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $mid) (local.get $mid)))
        (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $big) (local.get $big))))
    (local.set $kd (f64x2.convert_low_i32x4_s (local.get $k)))
    (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $kd) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $lo (f64x2.mul (local.get $kd) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $x (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $xx (f64x2.mul (local.get $x) (local.get $x)))
    (local.set $c
      (f64x2.sub (local.get $x)
        (f64x2.mul (local.get $xx)
          (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01)
            (f64x2.mul (local.get $xx)
              (f64x2.add (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03)
                (f64x2.mul (local.get $xx)
                  (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05)
                    (f64x2.mul (local.get $xx)
                      (f64x2.add (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06)
                        (f64x2.mul (local.get $xx) (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))))))))))))
    (local.set $y
      (f64x2.add (v128.const f64x2 1 1)
        (f64x2.add
          (f64x2.sub (f64x2.div (f64x2.mul (local.get $x) (local.get $c)) (f64x2.sub (v128.const f64x2 2 2) (local.get $c))) (local.get $lo))
          (local.get $hi))))
    ;; y·2^h·2^(k − h), h = k >> 1
    (local.set $h (i32x4.shr_s (local.get $k) (i32.const 1)))
    (f64x2.mul
      (f64x2.mul (local.get $y)
        (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (local.get $h) (v128.const i32x4 1023 1023 1023 1023))) (i32.const 52)))
      (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (i32x4.sub (local.get $k) (local.get $h)) (v128.const i32x4 1023 1023 1023 1023))) (i32.const 52))))

  ;; `expv` of two vectors at once, their operations interleaved so that the two chains overlap
  ;; (the same results; both go to `expv` when either has a lane it does not take).
  (func $expv2 (param $xa v128) (param $xb v128) (result v128 v128)
    (local $hxa v128) (local $biga v128) (local $mida v128) (local $ka v128) (local $kda v128) (local $hia v128) (local $loa v128) (local $xxa v128) (local $ca v128) (local $ya v128) (local $ha v128) (local $hxb v128) (local $bigb v128) (local $midb v128) (local $kb v128) (local $kdb v128) (local $hib v128) (local $lob v128) (local $xxb v128) (local $cb v128) (local $yb v128) (local $hb v128)
    (local.set $hxa (v128.and (i64x2.shr_u (local.get $xa) (i32.const 32)) (v128.const i64x2 0x7fffffff 0x7fffffff)))
    (local.set $hxb (v128.and (i64x2.shr_u (local.get $xb) (i32.const 32)) (v128.const i64x2 0x7fffffff 0x7fffffff)))
    (if (i32.or
          (v128.any_true
                (v128.or
                  (i64x2.ge_s (local.get $hxa) (v128.const i64x2 0x4086232b 0x4086232b))
                  (i64x2.le_s (local.get $hxa) (v128.const i64x2 0x3e300000 0x3e300000))))
          (v128.any_true
                (v128.or
                  (i64x2.ge_s (local.get $hxb) (v128.const i64x2 0x4086232b 0x4086232b))
                  (i64x2.le_s (local.get $hxb) (v128.const i64x2 0x3e300000 0x3e300000)))))
      (then (return (call $expv (local.get $xa)) (call $expv (local.get $xb)))))
    (local.set $biga (i64x2.ge_s (local.get $hxa) (v128.const i64x2 0x3ff0a2b2 0x3ff0a2b2)))
    (local.set $bigb (i64x2.ge_s (local.get $hxb) (v128.const i64x2 0x3ff0a2b2 0x3ff0a2b2)))
    (local.set $mida (i64x2.gt_s (local.get $hxa) (v128.const i64x2 0x3fd62e42 0x3fd62e42)))
    (local.set $midb (i64x2.gt_s (local.get $hxb) (v128.const i64x2 0x3fd62e42 0x3fd62e42)))
    (local.set $ka
      (v128.bitselect
        (i32x4.trunc_sat_f64x2_s_zero
          (f64x2.add (f64x2.mul (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00) (local.get $xa))
            (v128.bitselect (v128.const f64x2 -0.5 -0.5) (v128.const f64x2 0.5 0.5) (i64x2.shr_s (local.get $xa) (i32.const 63)))))
        (v128.and
          ;; 1 − 2·sign
          (i32x4.sub (v128.const i32x4 1 1 1 1)
            (i32x4.shl (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (i64x2.shr_u (local.get $xa) (i32.const 63)) (local.get $xa)) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $mida) (local.get $mida)))
        (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $biga) (local.get $biga))))
    (local.set $kb
      (v128.bitselect
        (i32x4.trunc_sat_f64x2_s_zero
          (f64x2.add (f64x2.mul (v128.const f64x2 1.44269504088896338700e+00 1.44269504088896338700e+00) (local.get $xb))
            (v128.bitselect (v128.const f64x2 -0.5 -0.5) (v128.const f64x2 0.5 0.5) (i64x2.shr_s (local.get $xb) (i32.const 63)))))
        (v128.and
          ;; 1 − 2·sign
          (i32x4.sub (v128.const i32x4 1 1 1 1)
            (i32x4.shl (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (i64x2.shr_u (local.get $xb) (i32.const 63)) (local.get $xb)) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $midb) (local.get $midb)))
        (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $bigb) (local.get $bigb))))
    (local.set $kda (f64x2.convert_low_i32x4_s (local.get $ka)))
    (local.set $kdb (f64x2.convert_low_i32x4_s (local.get $kb)))
    (local.set $hia (f64x2.sub (local.get $xa) (f64x2.mul (local.get $kda) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $hib (f64x2.sub (local.get $xb) (f64x2.mul (local.get $kdb) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))
    (local.set $loa (f64x2.mul (local.get $kda) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $lob (f64x2.mul (local.get $kdb) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
    (local.set $xa (f64x2.sub (local.get $hia) (local.get $loa)))
    (local.set $xb (f64x2.sub (local.get $hib) (local.get $lob)))
    (local.set $xxa (f64x2.mul (local.get $xa) (local.get $xa)))
    (local.set $xxb (f64x2.mul (local.get $xb) (local.get $xb)))
    (local.set $ca
      (f64x2.sub (local.get $xa)
        (f64x2.mul (local.get $xxa)
          (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01)
            (f64x2.mul (local.get $xxa)
              (f64x2.add (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03)
                (f64x2.mul (local.get $xxa)
                  (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05)
                    (f64x2.mul (local.get $xxa)
                      (f64x2.add (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06)
                        (f64x2.mul (local.get $xxa) (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))))))))))))
    (local.set $cb
      (f64x2.sub (local.get $xb)
        (f64x2.mul (local.get $xxb)
          (f64x2.add (v128.const f64x2 1.66666666666666019037e-01 1.66666666666666019037e-01)
            (f64x2.mul (local.get $xxb)
              (f64x2.add (v128.const f64x2 -2.77777777770155933842e-03 -2.77777777770155933842e-03)
                (f64x2.mul (local.get $xxb)
                  (f64x2.add (v128.const f64x2 6.61375632143793436117e-05 6.61375632143793436117e-05)
                    (f64x2.mul (local.get $xxb)
                      (f64x2.add (v128.const f64x2 -1.65339022054652515390e-06 -1.65339022054652515390e-06)
                        (f64x2.mul (local.get $xxb) (v128.const f64x2 4.13813679705723846039e-08 4.13813679705723846039e-08))))))))))))
    (local.set $ya
      (f64x2.add (v128.const f64x2 1 1)
        (f64x2.add
          (f64x2.sub (f64x2.div (f64x2.mul (local.get $xa) (local.get $ca)) (f64x2.sub (v128.const f64x2 2 2) (local.get $ca))) (local.get $loa))
          (local.get $hia))))
    (local.set $yb
      (f64x2.add (v128.const f64x2 1 1)
        (f64x2.add
          (f64x2.sub (f64x2.div (f64x2.mul (local.get $xb) (local.get $cb)) (f64x2.sub (v128.const f64x2 2 2) (local.get $cb))) (local.get $lob))
          (local.get $hib))))
    (local.set $ha (i32x4.shr_s (local.get $ka) (i32.const 1)))
    (local.set $hb (i32x4.shr_s (local.get $kb) (i32.const 1)))
    (f64x2.mul
      (f64x2.mul (local.get $ya)
        (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (local.get $ha) (v128.const i32x4 1023 1023 1023 1023))) (i32.const 52)))
      (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (i32x4.sub (local.get $ka) (local.get $ha)) (v128.const i32x4 1023 1023 1023 1023))) (i32.const 52)))
    (f64x2.mul
      (f64x2.mul (local.get $yb)
        (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (local.get $hb) (v128.const i32x4 1023 1023 1023 1023))) (i32.const 52)))
      (i64x2.shl (i64x2.extend_low_i32x4_s (i32x4.add (i32x4.sub (local.get $kb) (local.get $hb)) (v128.const i32x4 1023 1023 1023 1023))) (i32.const 52))))

  ;; `logv` of two vectors at once, their operations interleaved so that the two chains overlap
  ;; (the same results; both go to `logv` when either has a lane it does not take).
  (func $logv2 (param $xa v128) (param $xb v128) (result v128 v128)
    (local $hxa v128) (local $ka v128) (local $fa v128) (local $hfsqa v128) (local $sa v128) (local $za v128) (local $wa v128) (local $ra v128) (local $dka v128) (local $ta v128) (local $hxb v128) (local $kb v128) (local $fb v128) (local $hfsqb v128) (local $sb v128) (local $zb v128) (local $wb v128) (local $rb v128) (local $dkb v128) (local $tb v128)
    (local.set $hxa (i64x2.shr_u (local.get $xa) (i32.const 32)))
    (local.set $hxb (i64x2.shr_u (local.get $xb) (i32.const 32)))
    (local.set $ta (i64x2.sub (local.get $hxa) (v128.const i64x2 0x00100000 0x00100000)))
    (local.set $tb (i64x2.sub (local.get $hxb) (v128.const i64x2 0x00100000 0x00100000)))
    (if (i32.or
          (v128.any_true
                (v128.or
                  (i64x2.lt_s (local.get $ta) (v128.const i64x2 0 0))
                  (i64x2.ge_s (local.get $ta) (v128.const i64x2 0x7fe00000 0x7fe00000))))
          (v128.any_true
                (v128.or
                  (i64x2.lt_s (local.get $tb) (v128.const i64x2 0 0))
                  (i64x2.ge_s (local.get $tb) (v128.const i64x2 0x7fe00000 0x7fe00000)))))
      (then (return (call $logv (local.get $xa)) (call $logv (local.get $xb)))))
    (local.set $hxa (i64x2.add (local.get $hxa) (v128.const i64x2 0x95f62 0x95f62)))
    (local.set $hxb (i64x2.add (local.get $hxb) (v128.const i64x2 0x95f62 0x95f62)))
    (local.set $ka (i64x2.sub (i64x2.shr_u (local.get $hxa) (i32.const 20)) (v128.const i64x2 0x3ff 0x3ff)))
    (local.set $kb (i64x2.sub (i64x2.shr_u (local.get $hxb) (i32.const 20)) (v128.const i64x2 0x3ff 0x3ff)))
    (local.set $hxa (i64x2.add (v128.and (local.get $hxa) (v128.const i64x2 0x000fffff 0x000fffff)) (v128.const i64x2 0x3fe6a09e 0x3fe6a09e)))
    (local.set $hxb (i64x2.add (v128.and (local.get $hxb) (v128.const i64x2 0x000fffff 0x000fffff)) (v128.const i64x2 0x3fe6a09e 0x3fe6a09e)))
    (local.set $fa
      (f64x2.sub
        (v128.or (i64x2.shl (local.get $hxa) (i32.const 32)) (v128.and (local.get $xa) (v128.const i64x2 0xffffffff 0xffffffff)))
        (v128.const f64x2 1 1)))
    (local.set $fb
      (f64x2.sub
        (v128.or (i64x2.shl (local.get $hxb) (i32.const 32)) (v128.and (local.get $xb) (v128.const i64x2 0xffffffff 0xffffffff)))
        (v128.const f64x2 1 1)))
    (local.set $hfsqa (f64x2.mul (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $fa)) (local.get $fa)))
    (local.set $hfsqb (f64x2.mul (f64x2.mul (v128.const f64x2 0.5 0.5) (local.get $fb)) (local.get $fb)))
    (local.set $sa (f64x2.div (local.get $fa) (f64x2.add (v128.const f64x2 2 2) (local.get $fa))))
    (local.set $sb (f64x2.div (local.get $fb) (f64x2.add (v128.const f64x2 2 2) (local.get $fb))))
    (local.set $za (f64x2.mul (local.get $sa) (local.get $sa)))
    (local.set $zb (f64x2.mul (local.get $sb) (local.get $sb)))
    (local.set $wa (f64x2.mul (local.get $za) (local.get $za)))
    (local.set $wb (f64x2.mul (local.get $zb) (local.get $zb)))
    (local.set $ra
      (f64x2.add
        (f64x2.mul (local.get $za)
          (f64x2.add (v128.const f64x2 6.666666666666735130e-01 6.666666666666735130e-01)
            (f64x2.mul (local.get $wa)
              (f64x2.add (v128.const f64x2 2.857142874366239149e-01 2.857142874366239149e-01)
                (f64x2.mul (local.get $wa)
                  (f64x2.add (v128.const f64x2 1.818357216161805012e-01 1.818357216161805012e-01)
                    (f64x2.mul (local.get $wa) (v128.const f64x2 1.479819860511658591e-01 1.479819860511658591e-01))))))))
        (f64x2.mul (local.get $wa)
          (f64x2.add (v128.const f64x2 3.999999999940941908e-01 3.999999999940941908e-01)
            (f64x2.mul (local.get $wa)
              (f64x2.add (v128.const f64x2 2.222219843214978396e-01 2.222219843214978396e-01)
                (f64x2.mul (local.get $wa) (v128.const f64x2 1.531383769920937332e-01 1.531383769920937332e-01))))))))
    (local.set $rb
      (f64x2.add
        (f64x2.mul (local.get $zb)
          (f64x2.add (v128.const f64x2 6.666666666666735130e-01 6.666666666666735130e-01)
            (f64x2.mul (local.get $wb)
              (f64x2.add (v128.const f64x2 2.857142874366239149e-01 2.857142874366239149e-01)
                (f64x2.mul (local.get $wb)
                  (f64x2.add (v128.const f64x2 1.818357216161805012e-01 1.818357216161805012e-01)
                    (f64x2.mul (local.get $wb) (v128.const f64x2 1.479819860511658591e-01 1.479819860511658591e-01))))))))
        (f64x2.mul (local.get $wb)
          (f64x2.add (v128.const f64x2 3.999999999940941908e-01 3.999999999940941908e-01)
            (f64x2.mul (local.get $wb)
              (f64x2.add (v128.const f64x2 2.222219843214978396e-01 2.222219843214978396e-01)
                (f64x2.mul (local.get $wb) (v128.const f64x2 1.531383769920937332e-01 1.531383769920937332e-01))))))))
    (local.set $dka (f64x2.convert_low_i32x4_s (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $ka) (local.get $ka))))
    (local.set $dkb (f64x2.convert_low_i32x4_s (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $kb) (local.get $kb))))
    (f64x2.add
      (f64x2.add
        (f64x2.sub
          (f64x2.add
            (f64x2.mul (local.get $sa) (f64x2.add (local.get $hfsqa) (local.get $ra)))
            (f64x2.mul (local.get $dka) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
          (local.get $hfsqa))
        (local.get $fa))
      (f64x2.mul (local.get $dka) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01)))
    (f64x2.add
      (f64x2.add
        (f64x2.sub
          (f64x2.add
            (f64x2.mul (local.get $sb) (f64x2.add (local.get $hfsqb) (local.get $rb)))
            (f64x2.mul (local.get $dkb) (v128.const f64x2 1.90821492927058770002e-10 1.90821492927058770002e-10)))
          (local.get $hfsqb))
        (local.get $fb))
      (f64x2.mul (local.get $dkb) (v128.const f64x2 6.93147180369123816490e-01 6.93147180369123816490e-01))))

  ;; y·2^k for |k| ≤ 2100, in two exact steps where one power of two would leave the range.
  (func $scale (param $y f64) (param $k i32) (result f64)
    (local $h i32)
    (local.set $h (i32.shr_s (local.get $k) (i32.const 1)))
    (f64.mul
      (f64.mul (local.get $y) (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $h) (i32.const 1023))) (i64.const 52))))
      (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (i32.sub (local.get $k) (local.get $h)) (i32.const 1023))) (i64.const 52)))))

;; The index of the first of n 32-bit words at $x (byte offset, 16-byte aligned) whose low 31
  ;; bits exceed `bound`, or −1: for float32 values, the first whose magnitude is above the float
  ;; with those bits (NaN and ±∞ lie above every finite bound). Sixteen words per step, their
  ;; largest kept; the words of a step that holds one above are then looked at one by one. Few
  ;; operations per word, since the first call of a kernel runs in the engine's interpreter.
  (func (export "firstabove") (param $x i32) (param $n i32) (param $bound i32) (result i32)
    (local $i i32) (local $vend i32) (local $twice v128) (local $top v128) (local $p i32)
    (local.set $twice (i32x4.splat (i32.shl (local.get $bound) (i32.const 1))))
    (local.set $vend (i32.and (local.get $n) (i32.const -16)))
    (block $vector_done
      (loop $vector
        (br_if $vector_done (i32.ge_u (local.get $i) (local.get $vend)))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))
        ;; the sign bits shifted out, so the largest word is the largest magnitude
        (local.set $top
          (i32x4.max_u
            (i32x4.max_u (i32x4.shl (v128.load (local.get $p)) (i32.const 1)) (i32x4.shl (v128.load offset=16 (local.get $p)) (i32.const 1)))
            (i32x4.max_u (i32x4.shl (v128.load offset=32 (local.get $p)) (i32.const 1)) (i32x4.shl (v128.load offset=48 (local.get $p)) (i32.const 1)))))
        (br_if $vector_done (v128.any_true (i32x4.gt_u (local.get $top) (local.get $twice))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $vector)))
    (block $done
      (loop $scalar
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.gt_u (i32.and (i32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 0x7fffffff)) (local.get $bound))
          (then (return (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scalar)))
    (i32.const -1))

    ;; The voiced-speech check's band: x (float32, from byte offset $x, `avail` samples readable,
  ;; zeros after) through the biquad y = b0·x + b1·x1 + b0·x2 − a1·y1 − a2·y2 (float64; a
  ;; Butterworth low-pass, whose b2 is b0), every factor-th output kept as float32 in low[0…n),
  ;; and energy[i] = Σ_{j<i} low[j]² (float64, n + 1 values).
  (func $decimate (export "decimate") (param $x i32) (param $avail i32) (param $n i32) (param $factor i32)
    (param $b0 f64) (param $b1 f64) (param $a1 f64) (param $a2 f64) (param $low i32) (param $energy i32)
    (local $i i32) (local $j i32) (local $phase i32) (local $v f64) (local $y f64)
    (local $x1 f64) (local $x2 f64) (local $y1 f64) (local $y2 f64) (local $l f64) (local $e f64)
    (f64.store (local.get $energy) (f64.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $v (f64.const 0))
        (if (i32.lt_u (local.get $i) (local.get $avail))
          (then (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))))
        (local.set $y
          (f64.sub
            (f64.sub
              (f64.add (f64.add (f64.mul (local.get $b0) (local.get $v)) (f64.mul (local.get $b1) (local.get $x1))) (f64.mul (local.get $b0) (local.get $x2)))
              (f64.mul (local.get $a1) (local.get $y1)))
            (f64.mul (local.get $a2) (local.get $y2))))
        (local.set $x2 (local.get $x1))
        (local.set $x1 (local.get $v))
        (local.set $y2 (local.get $y1))
        (local.set $y1 (local.get $y))
        (if (i32.eqz (local.get $phase))
          (then
            (f32.store (i32.add (local.get $low) (i32.shl (local.get $j) (i32.const 2))) (f32.demote_f64 (local.get $y)))
            (local.set $l (f64.promote_f32 (f32.demote_f64 (local.get $y))))
            (local.set $e (f64.add (local.get $e) (f64.mul (local.get $l) (local.get $l))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (f64.store (i32.add (local.get $energy) (i32.shl (local.get $j) (i32.const 3))) (local.get $e))))
        (local.set $phase (i32.add (local.get $phase) (i32.const 1)))
        (if (i32.eq (local.get $phase) (local.get $factor)) (then (local.set $phase (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

;; `decimate` as four segments of the band run side by side (two vectors of two lanes), for the
  ;; same results: the biquad's recursion (a chain of about nine cycles of latency per sample) is
  ;; most of the scalar kernel's time. Segment s takes inputs from sL − warm to sL + L, L = n·factor/4
  ;; rounded up to a multiple of factor, starting from a zero state: the filter forgets its state
  ;; (poles of radius about 0.4 for the 1.8 kHz low-pass at 8 kHz), so after `warm` inputs segment s
  ;; holds segment s − 1's state, bit for bit. That is checked (the state after input sL − 1 of
  ;; both); when any segment has not met its neighbour, or the band is shorter than 8·warm, the
  ;; scalar `decimate` computes everything. Each segment's outputs before sL are written first
  ;; and rewritten later by its neighbour. The caller provides 4·warm zero bytes before $x (the first
  ;; segment reads them), room for 4·(n + 5)·factor bytes of input from $x (zeroed here from
  ;; `avail` on), 4·warm/factor bytes before $low and 32 after low[n] (the energies follow after
  ;; them). warm is a multiple of factor. Returns 1, or 0 when the scalar kernel ran.
  (func (export "decimate4") (param $x i32) (param $avail i32) (param $n i32) (param $factor i32)
    (param $b0 f64) (param $b1 f64) (param $a1 f64) (param $a2 f64) (param $low i32) (param $energy i32) (param $warm i32) (result i32)
    (local $seg i32) (local $steps i32) (local $t i32) (local $phase i32) (local $i i32) (local $end i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $q0 i32) (local $q1 i32) (local $q2 i32) (local $q3 i32)
    (local $vb0 v128) (local $vb1 v128) (local $va1 v128) (local $va2 v128)
    (local $va v128) (local $vb v128) (local $ya v128) (local $yb v128)
    (local $x1a v128) (local $x2a v128) (local $y1a v128) (local $y2a v128)
    (local $x1b v128) (local $x2b v128) (local $y1b v128) (local $y2b v128)
    (local $r1a v128) (local $r2a v128) (local $r1b v128) (local $r2b v128)
    (local $l f64) (local $e f64)
    (local.set $seg (i32.div_u (i32.add (i32.div_u (i32.add (i32.mul (local.get $n) (local.get $factor)) (i32.const 3)) (i32.const 4)) (i32.sub (local.get $factor) (i32.const 1))) (local.get $factor)))
    (local.set $seg (i32.mul (local.get $seg) (local.get $factor)))
    (if (i32.lt_u (local.get $seg) (i32.shl (local.get $warm) (i32.const 1)))
      (then
        (call $decimate (local.get $x) (local.get $avail) (local.get $n) (local.get $factor)
          (local.get $b0) (local.get $b1) (local.get $a1) (local.get $a2) (local.get $low) (local.get $energy))
        (return (i32.const 0))))
    ;; zeros from avail to the last segment's end
    (local.set $i (i32.add (local.get $x) (i32.shl (local.get $avail) (i32.const 2))))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $seg) (i32.const 4))))
    (block $zeroed
      (loop $zero
        (br_if $zeroed (i32.ge_u (local.get $i) (local.get $end)))
        (f32.store (local.get $i) (f32.const 0))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $zero)))
    (local.set $p0 (i32.sub (local.get $x) (i32.shl (local.get $warm) (i32.const 2))))
    (local.set $p1 (i32.add (local.get $p0) (i32.shl (local.get $seg) (i32.const 2))))
    (local.set $p2 (i32.add (local.get $p1) (i32.shl (local.get $seg) (i32.const 2))))
    (local.set $p3 (i32.add (local.get $p2) (i32.shl (local.get $seg) (i32.const 2))))
    (local.set $q0 (i32.sub (local.get $low) (i32.shl (i32.div_u (local.get $warm) (local.get $factor)) (i32.const 2))))
    (local.set $q1 (i32.add (local.get $q0) (i32.shl (i32.div_u (local.get $seg) (local.get $factor)) (i32.const 2))))
    (local.set $q2 (i32.add (local.get $q1) (i32.shl (i32.div_u (local.get $seg) (local.get $factor)) (i32.const 2))))
    (local.set $q3 (i32.add (local.get $q2) (i32.shl (i32.div_u (local.get $seg) (local.get $factor)) (i32.const 2))))
    (local.set $vb0 (f64x2.splat (local.get $b0)))
    (local.set $vb1 (f64x2.splat (local.get $b1)))
    (local.set $va1 (f64x2.splat (local.get $a1)))
    (local.set $va2 (f64x2.splat (local.get $a2)))
    (local.set $steps (i32.add (local.get $seg) (local.get $warm)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $t) (local.get $steps)))
        (local.set $i (i32.shl (local.get $t) (i32.const 2)))
        (local.set $va
          (f64x2.replace_lane 1
            (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $p0) (local.get $i)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $p1) (local.get $i))))))
        (local.set $vb
          (f64x2.replace_lane 1
            (f64x2.splat (f64.promote_f32 (f32.load (i32.add (local.get $p2) (local.get $i)))))
            (f64.promote_f32 (f32.load (i32.add (local.get $p3) (local.get $i))))))
        (local.set $ya
          (f64x2.sub
            (f64x2.sub
              (f64x2.add (f64x2.add (f64x2.mul (local.get $vb0) (local.get $va)) (f64x2.mul (local.get $vb1) (local.get $x1a))) (f64x2.mul (local.get $vb0) (local.get $x2a)))
              (f64x2.mul (local.get $va1) (local.get $y1a)))
            (f64x2.mul (local.get $va2) (local.get $y2a))))
        (local.set $yb
          (f64x2.sub
            (f64x2.sub
              (f64x2.add (f64x2.add (f64x2.mul (local.get $vb0) (local.get $vb)) (f64x2.mul (local.get $vb1) (local.get $x1b))) (f64x2.mul (local.get $vb0) (local.get $x2b)))
              (f64x2.mul (local.get $va1) (local.get $y1b)))
            (f64x2.mul (local.get $va2) (local.get $y2b))))
        (local.set $x2a (local.get $x1a))
        (local.set $x1a (local.get $va))
        (local.set $y2a (local.get $y1a))
        (local.set $y1a (local.get $ya))
        (local.set $x2b (local.get $x1b))
        (local.set $x1b (local.get $vb))
        (local.set $y2b (local.get $y1b))
        (local.set $y1b (local.get $yb))
        (if (i32.eqz (local.get $phase))
          (then
            (f32.store (local.get $q0) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $ya))))
            (f32.store (local.get $q1) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $ya))))
            (f32.store (local.get $q2) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $yb))))
            (f32.store (local.get $q3) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $yb))))
            (local.set $q0 (i32.add (local.get $q0) (i32.const 4)))
            (local.set $q1 (i32.add (local.get $q1) (i32.const 4)))
            (local.set $q2 (i32.add (local.get $q2) (i32.const 4)))
            (local.set $q3 (i32.add (local.get $q3) (i32.const 4)))))
        (local.set $phase (i32.add (local.get $phase) (i32.const 1)))
        (if (i32.eq (local.get $phase) (local.get $factor)) (then (local.set $phase (i32.const 0))))
        (if (i32.eq (local.get $t) (i32.sub (local.get $warm) (i32.const 1)))
          (then
            (local.set $r1a (local.get $y1a))
            (local.set $r2a (local.get $y2a))
            (local.set $r1b (local.get $y1b))
            (local.set $r2b (local.get $y2b))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $each)))
    ;; each segment's state after its warm-up against its predecessor's at the end (bits)
    (if (i32.eqz
          (i32.and
            (i32.and
              (i32.and
                (i64.eq (i64x2.extract_lane 1 (local.get $r1a)) (i64x2.extract_lane 0 (local.get $y1a)))
                (i64.eq (i64x2.extract_lane 1 (local.get $r2a)) (i64x2.extract_lane 0 (local.get $y2a))))
              (i32.and
                (i64.eq (i64x2.extract_lane 0 (local.get $r1b)) (i64x2.extract_lane 1 (local.get $y1a)))
                (i64.eq (i64x2.extract_lane 0 (local.get $r2b)) (i64x2.extract_lane 1 (local.get $y2a)))))
            (i32.and
              (i64.eq (i64x2.extract_lane 1 (local.get $r1b)) (i64x2.extract_lane 0 (local.get $y1b)))
              (i64.eq (i64x2.extract_lane 1 (local.get $r2b)) (i64x2.extract_lane 0 (local.get $y2b))))))
      (then
        (call $decimate (local.get $x) (local.get $avail) (local.get $n) (local.get $factor)
          (local.get $b0) (local.get $b1) (local.get $a1) (local.get $a2) (local.get $low) (local.get $energy))
        (return (i32.const 0))))
    ;; the prefix energies, in order
    (f64.store (local.get $energy) (f64.const 0))
    (local.set $i (local.get $low))
    (local.set $end (i32.add (local.get $low) (i32.shl (local.get $n) (i32.const 2))))
    (block $summed
      (loop $sum
        (br_if $summed (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $l (f64.promote_f32 (f32.load (local.get $i))))
        (local.set $e (f64.add (local.get $e) (f64.mul (local.get $l) (local.get $l))))
        (local.set $energy (i32.add (local.get $energy) (i32.const 8)))
        (f64.store (local.get $energy) (local.get $e))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $sum)))
    (i32.const 1))

  ;; The normalised cross-correlation of the window of n samples at low[a] with itself at each
  ;; lag minLag…maxLag: corr[lag] = dots/√(own·shifted) from `lagdots` (into $dots) and the
  ;; prefix energies (0 where either window is silent), two lags at a time. Returns the largest (0
  ;; when none is positive) and stores its lag (the first of equals; minLag when none) as float64
  ;; at $bestLag.
  (func (export "periodicity") (param $low i32) (param $energy i32) (param $a i32) (param $minLag i32) (param $maxLag i32) (param $n i32)
    (param $dots i32) (param $corr i32) (param $bestLag i32) (result f64)
    (local $lag i32) (local $own f64) (local $shifted f64) (local $r f64) (local $best f64) (local $at i32)
    (local $ownv v128) (local $ok v128) (local $sh v128)
    (call $lagdots (i32.add (local.get $low) (i32.shl (local.get $a) (i32.const 2))) (local.get $dots) (local.get $minLag) (local.get $maxLag) (local.get $n))
    (local.set $at (i32.add (local.get $energy) (i32.shl (local.get $a) (i32.const 3))))
    (local.set $own (f64.sub (f64.load (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 3)))) (f64.load (local.get $at))))
    (local.set $ownv (f64x2.splat (local.get $own)))
    (local.set $ok (f64x2.gt (local.get $ownv) (v128.const f64x2 0 0)))
    ;; the correlations, two lags at a time (0 where either window is silent), the last odd one alone
    (local.set $lag (local.get $minLag))
    (block $pairs_done
      (loop $pairs
        (br_if $pairs_done (i32.ge_s (local.get $lag) (local.get $maxLag)))
        (local.set $at (i32.add (local.get $energy) (i32.shl (i32.add (local.get $a) (local.get $lag)) (i32.const 3))))
        (local.set $sh (f64x2.sub (v128.load align=8 (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 3)))) (v128.load align=8 (local.get $at))))
        (v128.store align=8 (i32.add (local.get $corr) (i32.shl (local.get $lag) (i32.const 3)))
          (v128.and
            (f64x2.div
              (f64x2.promote_low_f32x4 (v128.load64_zero align=4 (i32.add (local.get $dots) (i32.shl (i32.sub (local.get $lag) (local.get $minLag)) (i32.const 2)))))
              (f64x2.sqrt (f64x2.mul (local.get $ownv) (local.get $sh))))
            (v128.and (local.get $ok) (f64x2.gt (local.get $sh) (v128.const f64x2 0 0)))))
        (local.set $lag (i32.add (local.get $lag) (i32.const 2)))
        (br $pairs)))
    (if (i32.eq (local.get $lag) (local.get $maxLag))
      (then
        (local.set $at (i32.add (local.get $energy) (i32.shl (i32.add (local.get $a) (local.get $lag)) (i32.const 3))))
        (local.set $shifted (f64.sub (f64.load (i32.add (local.get $at) (i32.shl (local.get $n) (i32.const 3)))) (f64.load (local.get $at))))
        (local.set $r (f64.const 0))
        (if (i32.and (f64.gt (local.get $own) (f64.const 0)) (f64.gt (local.get $shifted) (f64.const 0)))
          (then
            (local.set $r
              (f64.div
                (f64.promote_f32 (f32.load (i32.add (local.get $dots) (i32.shl (i32.sub (local.get $lag) (local.get $minLag)) (i32.const 2)))))
                (f64.sqrt (f64.mul (local.get $own) (local.get $shifted)))))))
        (f64.store (i32.add (local.get $corr) (i32.shl (local.get $lag) (i32.const 3))) (local.get $r))))
    ;; the largest, the first of equals
    (local.set $lag (local.get $minLag))
    (f64.store (local.get $bestLag) (f64.convert_i32_s (local.get $minLag)))
    (block $done
      (loop $each
        (br_if $done (i32.gt_s (local.get $lag) (local.get $maxLag)))
        (local.set $r (f64.load (i32.add (local.get $corr) (i32.shl (local.get $lag) (i32.const 3)))))
        (if (f64.gt (local.get $r) (local.get $best))
          (then
            (local.set $best (local.get $r))
            (f64.store (local.get $bestLag) (f64.convert_i32_s (local.get $lag)))))
        (local.set $lag (i32.add (local.get $lag) (i32.const 1)))
        (br $each)))
    (local.get $best))

  ;; The resampler's symmetric (decimating) stage: count outputs, the k-th the dot product of a
  ;; filter h (taps odd, h[i] = h[taps − 1 − i]) with hist[k·step …+ taps) (float64 from byte
  ;; offset $hist), folded: a0 = h[half]·x[half], then h[i]·(x[i] + x[taps − 1 − i]) into four
  ;; sums by i mod 4 (the last half mod 4 into a0) and out[k] = a0 + a1 + (a2 + a3): the
  ;; operations of the JavaScript kernel in its order. The input is first split by phase (index
  ;; mod step) into $scratch, phase q's samples from byte q·stride, so that outputs k and k + 1
  ;; read adjacent samples and run as the two lanes of one vector (four outputs per step: two vectors). $tab holds per tap i ≤ half
  ;; the entry (h[i] f64, where x[i] and x[taps − 1 − i] of output 0 lie in $scratch: two i32
  ;; byte offsets). stride ≥ 8·(⌈span / step⌉ + 1), span = (count − 1)·step + taps.
  (func (export "folded") (param $hist i32) (param $tab i32) (param $taps i32) (param $step i32) (param $count i32) (param $out i32)
    (param $scratch i32) (param $stride i32)
    (local $span i32) (local $q i32) (local $m i32) (local $src i32) (local $dst i32)
    (local $half i32) (local $kb i32) (local $kend i32) (local $tp i32) (local $gend i32) (local $base i32) (local $mid i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a0h v128) (local $a1h v128) (local $a2h v128) (local $a3h v128) (local $c v128) (local $f i32) (local $g i32) (local $qend i32)
    (local.set $span (i32.add (i32.mul (i32.sub (local.get $count) (i32.const 1)) (local.get $step)) (local.get $taps)))
    (block $split_done
      (loop $split
        (br_if $split_done (i32.ge_u (local.get $q) (local.get $step)))
        (local.set $dst (i32.add (local.get $scratch) (i32.mul (local.get $q) (local.get $stride))))
        (local.set $src (i32.add (local.get $hist) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $m (local.get $q))
        (block $phase_done
          (loop $phase
            (br_if $phase_done (i32.ge_s (local.get $m) (local.get $span)))
            (f64.store (local.get $dst) (f64.load (local.get $src)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
            (local.set $src (i32.add (local.get $src) (i32.shl (local.get $step) (i32.const 3))))
            (local.set $m (i32.add (local.get $m) (local.get $step)))
            (br $phase)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $split)))
    (local.set $half (i32.shr_u (i32.sub (local.get $taps) (i32.const 1)) (i32.const 1)))
    (local.set $mid (i32.add (local.get $tab) (i32.shl (local.get $half) (i32.const 4))))
    (local.set $gend (i32.add (local.get $tab) (i32.shl (i32.and (local.get $half) (i32.const -4)) (i32.const 4))))
    (local.set $kend (i32.shl (local.get $count) (i32.const 3)))
    ;; four outputs at a time while four remain, then two (or one)
    (local.set $qend (i32.and (local.get $kend) (i32.const -32)))
    (block $quads_done
      (loop $quad
        (br_if $quads_done (i32.ge_s (local.get $kb) (local.get $qend)))
        (local.set $base (i32.add (local.get $scratch) (local.get $kb)))
        (local.set $c (v128.load64_splat (local.get $mid)))
        (local.set $f (i32.add (local.get $base) (i32.load offset=8 (local.get $mid))))
        (local.set $a0 (f64x2.mul (local.get $c) (v128.load align=8 (local.get $f))))
        (local.set $a0h (f64x2.mul (local.get $c) (v128.load offset=16 align=8 (local.get $f))))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $a1h (v128.const i64x2 0 0))
        (local.set $a2h (v128.const i64x2 0 0))
        (local.set $a3h (v128.const i64x2 0 0))
        (local.set $tp (local.get $tab))
        (block $qgroups_done
          (loop $qgroups
            (br_if $qgroups_done (i32.ge_u (local.get $tp) (local.get $gend)))
            (local.set $c (v128.load64_splat offset=0 (local.get $tp)))
            (local.set $f (i32.add (local.get $base) (i32.load offset=8 (local.get $tp))))
            (local.set $g (i32.add (local.get $base) (i32.load offset=12 (local.get $tp))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $c) (f64x2.add (v128.load align=8 (local.get $f)) (v128.load align=8 (local.get $g))))))
            (local.set $a0h (f64x2.add (local.get $a0h) (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 align=8 (local.get $f)) (v128.load offset=16 align=8 (local.get $g))))))
            (local.set $c (v128.load64_splat offset=16 (local.get $tp)))
            (local.set $f (i32.add (local.get $base) (i32.load offset=24 (local.get $tp))))
            (local.set $g (i32.add (local.get $base) (i32.load offset=28 (local.get $tp))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $c) (f64x2.add (v128.load align=8 (local.get $f)) (v128.load align=8 (local.get $g))))))
            (local.set $a1h (f64x2.add (local.get $a1h) (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 align=8 (local.get $f)) (v128.load offset=16 align=8 (local.get $g))))))
            (local.set $c (v128.load64_splat offset=32 (local.get $tp)))
            (local.set $f (i32.add (local.get $base) (i32.load offset=40 (local.get $tp))))
            (local.set $g (i32.add (local.get $base) (i32.load offset=44 (local.get $tp))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $c) (f64x2.add (v128.load align=8 (local.get $f)) (v128.load align=8 (local.get $g))))))
            (local.set $a2h (f64x2.add (local.get $a2h) (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 align=8 (local.get $f)) (v128.load offset=16 align=8 (local.get $g))))))
            (local.set $c (v128.load64_splat offset=48 (local.get $tp)))
            (local.set $f (i32.add (local.get $base) (i32.load offset=56 (local.get $tp))))
            (local.set $g (i32.add (local.get $base) (i32.load offset=60 (local.get $tp))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $c) (f64x2.add (v128.load align=8 (local.get $f)) (v128.load align=8 (local.get $g))))))
            (local.set $a3h (f64x2.add (local.get $a3h) (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 align=8 (local.get $f)) (v128.load offset=16 align=8 (local.get $g))))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 64)))
            (br $qgroups)))
        (block $qtail_done
          (loop $qtail
            (br_if $qtail_done (i32.ge_u (local.get $tp) (local.get $mid)))
            (local.set $c (v128.load64_splat offset=0 (local.get $tp)))
            (local.set $f (i32.add (local.get $base) (i32.load offset=8 (local.get $tp))))
            (local.set $g (i32.add (local.get $base) (i32.load offset=12 (local.get $tp))))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $c) (f64x2.add (v128.load align=8 (local.get $f)) (v128.load align=8 (local.get $g))))))
            (local.set $a0h (f64x2.add (local.get $a0h) (f64x2.mul (local.get $c) (f64x2.add (v128.load offset=16 align=8 (local.get $f)) (v128.load offset=16 align=8 (local.get $g))))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 16)))
            (br $qtail)))
        (v128.store align=8 (i32.add (local.get $out) (local.get $kb))
          (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3))))
        (v128.store offset=16 align=8 (i32.add (local.get $out) (local.get $kb))
          (f64x2.add (f64x2.add (local.get $a0h) (local.get $a1h)) (f64x2.add (local.get $a2h) (local.get $a3h))))
        (local.set $kb (i32.add (local.get $kb) (i32.const 32)))
        (br $quad)))
    (block $done
      (loop $pair
        (br_if $done (i32.ge_s (local.get $kb) (local.get $kend)))
        (local.set $base (i32.add (local.get $scratch) (local.get $kb)))
        (local.set $a0 (f64x2.mul (v128.load64_splat (local.get $mid)) (v128.load align=8 (i32.add (local.get $base) (i32.load offset=8 (local.get $mid))))))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $tp (local.get $tab))
        (block $groups_done
          (loop $groups
            (br_if $groups_done (i32.ge_u (local.get $tp) (local.get $gend)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load64_splat offset=0 (local.get $tp))
                (f64x2.add (v128.load align=8 (i32.add (local.get $base) (i32.load offset=8 (local.get $tp))))
                  (v128.load align=8 (i32.add (local.get $base) (i32.load offset=12 (local.get $tp))))))))
            (local.set $a1 (f64x2.add (local.get $a1)
              (f64x2.mul (v128.load64_splat offset=16 (local.get $tp))
                (f64x2.add (v128.load align=8 (i32.add (local.get $base) (i32.load offset=24 (local.get $tp))))
                  (v128.load align=8 (i32.add (local.get $base) (i32.load offset=28 (local.get $tp))))))))
            (local.set $a2 (f64x2.add (local.get $a2)
              (f64x2.mul (v128.load64_splat offset=32 (local.get $tp))
                (f64x2.add (v128.load align=8 (i32.add (local.get $base) (i32.load offset=40 (local.get $tp))))
                  (v128.load align=8 (i32.add (local.get $base) (i32.load offset=44 (local.get $tp))))))))
            (local.set $a3 (f64x2.add (local.get $a3)
              (f64x2.mul (v128.load64_splat offset=48 (local.get $tp))
                (f64x2.add (v128.load align=8 (i32.add (local.get $base) (i32.load offset=56 (local.get $tp))))
                  (v128.load align=8 (i32.add (local.get $base) (i32.load offset=60 (local.get $tp))))))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 64)))
            (br $groups)))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $tp) (local.get $mid)))
            (local.set $a0 (f64x2.add (local.get $a0)
              (f64x2.mul (v128.load64_splat offset=0 (local.get $tp))
                (f64x2.add (v128.load align=8 (i32.add (local.get $base) (i32.load offset=8 (local.get $tp))))
                  (v128.load align=8 (i32.add (local.get $base) (i32.load offset=12 (local.get $tp))))))))
            (local.set $tp (i32.add (local.get $tp) (i32.const 16)))
            (br $tail)))
        (local.set $a0 (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3))))
        (if (i32.lt_s (i32.add (local.get $kb) (i32.const 8)) (local.get $kend))
          (then (v128.store align=8 (i32.add (local.get $out) (local.get $kb)) (local.get $a0)))
          (else (f64.store (i32.add (local.get $out) (local.get $kb)) (f64x2.extract_lane 0 (local.get $a0)))))
        (local.set $kb (i32.add (local.get $kb) (i32.const 16)))
        (br $pair))))

  ;; The resampler's rational stage: outputs while the newest input an output needs, hist[$at]
  ;; (float64 from byte offset $hist), lies before hist[$end], at most $limit: each the dot product
  ;; of phase row p of $table (taps float64 each) with hist[at + 1 − taps …+ taps) in two sums of
  ;; alternate taps (an odd last into the first), out = a0 + a1; then at += stepWhole, p +=
  ;; stepFrac (and at + 1 when p reaches up). Stores the final at and p (i32) at $state; returns
  ;; how many it wrote to $out (float64).
  (func (export "polyphase") (param $hist i32) (param $table i32) (param $taps i32) (param $up i32) (param $stepWhole i32) (param $stepFrac i32)
    (param $at i32) (param $p i32) (param $end i32) (param $limit i32) (param $out i32) (param $state i32) (result i32)
    (local $written i32) (local $x i32) (local $w i32) (local $wend i32) (local $acc v128) (local $a0 f64) (local $rowb i32) (local $pairs i32)
    (local.set $rowb (i32.shl (local.get $taps) (i32.const 3)))
    (local.set $pairs (i32.shl (i32.and (local.get $taps) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $at) (local.get $end)))
        (br_if $done (i32.ge_s (local.get $written) (local.get $limit)))
        (local.set $x (i32.add (local.get $hist) (i32.shl (i32.sub (i32.add (local.get $at) (i32.const 1)) (local.get $taps)) (i32.const 3))))
        (local.set $w (i32.add (local.get $table) (i32.mul (local.get $p) (local.get $rowb))))
        (local.set $wend (i32.add (local.get $w) (local.get $pairs)))
        (local.set $acc (v128.const i64x2 0 0))
        (block $pairs_done
          (loop $pair
            (br_if $pairs_done (i32.ge_u (local.get $w) (local.get $wend)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (v128.load align=8 (local.get $w)) (v128.load align=8 (local.get $x)))))
            (local.set $w (i32.add (local.get $w) (i32.const 16)))
            (local.set $x (i32.add (local.get $x) (i32.const 16)))
            (br $pair)))
        (local.set $a0 (f64x2.extract_lane 0 (local.get $acc)))
        (if (i32.and (local.get $taps) (i32.const 1))
          (then (local.set $a0 (f64.add (local.get $a0) (f64.mul (f64.load (local.get $w)) (f64.load (local.get $x)))))))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $written) (i32.const 3)))
          (f64.add (local.get $a0) (f64x2.extract_lane 1 (local.get $acc))))
        (local.set $written (i32.add (local.get $written) (i32.const 1)))
        (local.set $at (i32.add (local.get $at) (local.get $stepWhole)))
        (local.set $p (i32.add (local.get $p) (local.get $stepFrac)))
        (if (i32.ge_s (local.get $p) (local.get $up))
          (then
            (local.set $p (i32.sub (local.get $p) (local.get $up)))
            (local.set $at (i32.add (local.get $at) (i32.const 1)))))
        (br $each)))
    (i32.store (local.get $state) (local.get $at))
    (i32.store offset=4 (local.get $state) (local.get $p))
    (local.get $written))

  ;; The VAD's per-sample pass over x[0…n) (float32 at byte offset $x): each sample stored in the
  ;; ring (float32, index (pos + k) & mask, from byte offset $ring), its square added to acc[0]
  ;; and its magnitude kept in acc[1] when larger (acc: two float64, read and written back), and
  ;; the band filter run on it: three biquads in transposed direct form II (coefficients b0, b1,
  ;; b2, a1, a2 per section at $coef, two state values per section at $state, float64), the sum
  ;; of squares of its output returned. States below 1e−25 in magnitude are set to 0 at the end
  ;; (decaying ones would turn subnormal). The operations of the segmenter's JavaScript loops in
  ;; their order.
  (func (export "vadlevels") (param $x i32) (param $n i32) (param $ring i32) (param $mask i32) (param $pos i32)
    (param $coef i32) (param $state i32) (param $acc i32) (result f64)
    (local $end i32) (local $v f64) (local $a f64) (local $sumSq f64) (local $peak f64) (local $sum f64)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $s4 f64) (local $s5 f64)
    (local $y0 f64) (local $y1 f64) (local $y2 f64)
    (local $c0 f64) (local $c1 f64) (local $c2 f64) (local $c3 f64) (local $c4 f64)
    (local $c5 f64) (local $c6 f64) (local $c7 f64) (local $c8 f64) (local $c9 f64)
    (local $c10 f64) (local $c11 f64) (local $c12 f64) (local $c13 f64) (local $c14 f64) (local $k i32)
    (local.set $c0 (f64.load offset=0 (local.get $coef)))
    (local.set $c1 (f64.load offset=8 (local.get $coef)))
    (local.set $c2 (f64.load offset=16 (local.get $coef)))
    (local.set $c3 (f64.load offset=24 (local.get $coef)))
    (local.set $c4 (f64.load offset=32 (local.get $coef)))
    (local.set $c5 (f64.load offset=40 (local.get $coef)))
    (local.set $c6 (f64.load offset=48 (local.get $coef)))
    (local.set $c7 (f64.load offset=56 (local.get $coef)))
    (local.set $c8 (f64.load offset=64 (local.get $coef)))
    (local.set $c9 (f64.load offset=72 (local.get $coef)))
    (local.set $c10 (f64.load offset=80 (local.get $coef)))
    (local.set $c11 (f64.load offset=88 (local.get $coef)))
    (local.set $c12 (f64.load offset=96 (local.get $coef)))
    (local.set $c13 (f64.load offset=104 (local.get $coef)))
    (local.set $c14 (f64.load offset=112 (local.get $coef)))
    (local.set $s0 (f64.load offset=0 (local.get $state)))
    (local.set $s1 (f64.load offset=8 (local.get $state)))
    (local.set $s2 (f64.load offset=16 (local.get $state)))
    (local.set $s3 (f64.load offset=24 (local.get $state)))
    (local.set $s4 (f64.load offset=32 (local.get $state)))
    (local.set $s5 (f64.load offset=40 (local.get $state)))
    (local.set $sumSq (f64.load (local.get $acc)))
    (local.set $peak (f64.load offset=8 (local.get $acc)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f64.promote_f32 (f32.load (local.get $x))))
        (f32.store (i32.add (local.get $ring) (i32.shl (i32.and (local.get $pos) (local.get $mask)) (i32.const 2))) (f32.load (local.get $x)))
        (local.set $sumSq (f64.add (local.get $sumSq) (f64.mul (local.get $v) (local.get $v))))
        (local.set $a (select (f64.neg (local.get $v)) (local.get $v) (f64.lt (local.get $v) (f64.const 0))))
        (if (f64.gt (local.get $a) (local.get $peak)) (then (local.set $peak (local.get $a))))
        (local.set $y0 (f64.add (f64.mul (local.get $c0) (local.get $v)) (local.get $s0)))
        (local.set $s0 (f64.add (f64.sub (f64.mul (local.get $c1) (local.get $v)) (f64.mul (local.get $c3) (local.get $y0))) (local.get $s1)))
        (local.set $s1 (f64.sub (f64.mul (local.get $c2) (local.get $v)) (f64.mul (local.get $c4) (local.get $y0))))
        (local.set $y1 (f64.add (f64.mul (local.get $c5) (local.get $y0)) (local.get $s2)))
        (local.set $s2 (f64.add (f64.sub (f64.mul (local.get $c6) (local.get $y0)) (f64.mul (local.get $c8) (local.get $y1))) (local.get $s3)))
        (local.set $s3 (f64.sub (f64.mul (local.get $c7) (local.get $y0)) (f64.mul (local.get $c9) (local.get $y1))))
        (local.set $y2 (f64.add (f64.mul (local.get $c10) (local.get $y1)) (local.get $s4)))
        (local.set $s4 (f64.add (f64.sub (f64.mul (local.get $c11) (local.get $y1)) (f64.mul (local.get $c13) (local.get $y2))) (local.get $s5)))
        (local.set $s5 (f64.sub (f64.mul (local.get $c12) (local.get $y1)) (f64.mul (local.get $c14) (local.get $y2))))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (local.get $y2) (local.get $y2))))
        (local.set $pos (i32.add (local.get $pos) (i32.const 1)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $each)))
    (f64.store (local.get $acc) (local.get $sumSq))
    (f64.store offset=8 (local.get $acc) (local.get $peak))
    (f64.store offset=0 (local.get $state) (select (f64.const 0) (local.get $s0) (f64.lt (f64.abs (local.get $s0)) (f64.const 1e-25))))
    (f64.store offset=8 (local.get $state) (select (f64.const 0) (local.get $s1) (f64.lt (f64.abs (local.get $s1)) (f64.const 1e-25))))
    (f64.store offset=16 (local.get $state) (select (f64.const 0) (local.get $s2) (f64.lt (f64.abs (local.get $s2)) (f64.const 1e-25))))
    (f64.store offset=24 (local.get $state) (select (f64.const 0) (local.get $s3) (f64.lt (f64.abs (local.get $s3)) (f64.const 1e-25))))
    (f64.store offset=32 (local.get $state) (select (f64.const 0) (local.get $s4) (f64.lt (f64.abs (local.get $s4)) (f64.const 1e-25))))
    (f64.store offset=40 (local.get $state) (select (f64.const 0) (local.get $s5) (f64.lt (f64.abs (local.get $s5)) (f64.const 1e-25))))
    (local.get $sum))

  ;; 16-bit PCM of one or two channels (frames at byte offset $src, little-endian) mixed to mono
  ;; float32 at $out: x·2^−15 for one channel, (l + r)·2^−16 for two (every result exact in
  ;; float32, so the same as the decoder's float64 arithmetic rounded). Eight bytes per step, the
  ;; rest one frame at a time.
  (func (export "mixint16") (param $src i32) (param $frames i32) (param $channels i32) (param $out i32)
    (local $end i32) (local $vend i32) (local $v v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $frames) (i32.const 2))))
    (if (i32.eq (local.get $channels) (i32.const 2))
      (then
        (local.set $vend (i32.add (local.get $out) (i32.shl (i32.and (local.get $frames) (i32.const -4)) (i32.const 2))))
        (block $done
          (loop $quad
            (br_if $done (i32.ge_u (local.get $out) (local.get $vend)))
            (v128.store align=4 (local.get $out)
              (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extadd_pairwise_i16x8_s (v128.load align=2 (local.get $src)))) (v128.const f32x4 0x1p-16 0x1p-16 0x1p-16 0x1p-16)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 16)))
            (br $quad)))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
            (f32.store (local.get $out)
              (f32.mul (f32.convert_i32_s (i32.add (i32.load16_s (local.get $src)) (i32.load16_s offset=2 (local.get $src)))) (f32.const 0x1p-16)))
            (local.set $src (i32.add (local.get $src) (i32.const 4)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (br $one))))
      (else
        (local.set $vend (i32.add (local.get $out) (i32.shl (i32.and (local.get $frames) (i32.const -8)) (i32.const 2))))
        (block $done
          (loop $oct
            (br_if $done (i32.ge_u (local.get $out) (local.get $vend)))
            (local.set $v (v128.load align=2 (local.get $src)))
            (v128.store align=4 (local.get $out)
              (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_low_i16x8_s (local.get $v))) (v128.const f32x4 0x1p-15 0x1p-15 0x1p-15 0x1p-15)))
            (v128.store offset=16 align=4 (local.get $out)
              (f32x4.mul (f32x4.convert_i32x4_s (i32x4.extend_high_i16x8_s (local.get $v))) (v128.const f32x4 0x1p-15 0x1p-15 0x1p-15 0x1p-15)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (br $oct)))
        (block $done
          (loop $one
            (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
            (f32.store (local.get $out) (f32.mul (f32.convert_i32_s (i32.load16_s (local.get $src))) (f32.const 0x1p-15)))
            (local.set $src (i32.add (local.get $src) (i32.const 2)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (br $one))))))

  ;; out[r] = Σ_c W[r][c] · x[c] for r < rows, four rows at a time (rows past `rows` up to the
  ;; next multiple of four are read and written too: callers pad them with zeros). W is in matvec
  ;; order (engine/matvec-order.ts): per block of four rows, per step of eight columns, the eight
  ;; weights of each of the four rows, so the block is read as one stream. cols must be a multiple
  ;; of 8 (callers pad rows and x with zeros); pointers are byte offsets, 16-byte aligned. Each row
  ;; sums in two accumulators (columns 8j…8j + 3 and 8j + 4…8j + 7), then (a + b) lane 0 + 1 and
  ;; 2 + 3: the float32 sums of one row at a time, in the same order. Four rows share each load of
  ;; x and their eight chains of additions overlap.
  (func (export "matvec") (param $w i32) (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $xi i32) (local $end i32) (local $x0 v128) (local $x1 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
    (block $done
      (loop $block
        (br_if $done (i32.le_s (local.get $rows) (i32.const 0)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $b0 (v128.const i32x4 0 0 0 0))
        (local.set $b1 (v128.const i32x4 0 0 0 0))
        (local.set $b2 (v128.const i32x4 0 0 0 0))
        (local.set $b3 (v128.const i32x4 0 0 0 0))
        (local.set $xi (local.get $x))
        (block $row_done
          (loop $col
            (br_if $row_done (i32.ge_u (local.get $xi) (local.get $end)))
            (local.set $x0 (v128.load (local.get $xi)))
            (local.set $x1 (v128.load offset=16 (local.get $xi)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load (local.get $w)) (local.get $x0))))
            (local.set $b0 (f32x4.add (local.get $b0) (f32x4.mul (v128.load offset=16 (local.get $w)) (local.get $x1))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (v128.load offset=32 (local.get $w)) (local.get $x0))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (v128.load offset=48 (local.get $w)) (local.get $x1))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (v128.load offset=64 (local.get $w)) (local.get $x0))))
            (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (v128.load offset=80 (local.get $w)) (local.get $x1))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (v128.load offset=96 (local.get $w)) (local.get $x0))))
            (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (v128.load offset=112 (local.get $w)) (local.get $x1))))
            (local.set $w (i32.add (local.get $w) (i32.const 128)))
            (local.set $xi (i32.add (local.get $xi) (i32.const 32)))
            (br $col)))
        (local.set $a0 (f32x4.add (local.get $a0) (local.get $b0)))
        (local.set $a1 (f32x4.add (local.get $a1) (local.get $b1)))
        (local.set $a2 (f32x4.add (local.get $a2) (local.get $b2)))
        (local.set $a3 (f32x4.add (local.get $a3) (local.get $b3)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
            (f32.add (f32x4.extract_lane 2 (local.get $a0)) (f32x4.extract_lane 3 (local.get $a0)))))
        (f32.store offset=4 (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a1)) (f32x4.extract_lane 1 (local.get $a1)))
            (f32.add (f32x4.extract_lane 2 (local.get $a1)) (f32x4.extract_lane 3 (local.get $a1)))))
        (f32.store offset=8 (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a2)) (f32x4.extract_lane 1 (local.get $a2)))
            (f32.add (f32x4.extract_lane 2 (local.get $a2)) (f32x4.extract_lane 3 (local.get $a2)))))
        (f32.store offset=12 (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a3)) (f32x4.extract_lane 1 (local.get $a3)))
            (f32.add (f32x4.extract_lane 2 (local.get $a3)) (f32x4.extract_lane 3 (local.get $a3)))))
        ;; w has passed the block's four rows: it points at the next block
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 4)))
        (br $block))))

  ;; x[i] = f32(x[i] + b[i]) (x float32, b float64, the sum in float64), then 0 where the sum is
  ;; negative when relu ≠ 0, for i < n (byte offsets): a hidden layer's bias and activation
  ;; after `matvec`, as JavaScript's arithmetic on the same arrays rounds them.
  (func (export "biasrelu") (param $x i32) (param $b i32) (param $n i32) (param $relu i32)
    (local $end i32) (local $v f64)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (f64.add (f64.promote_f32 (f32.load (local.get $x))) (f64.load (local.get $b))))
        (if (i32.and (local.get $relu) (f64.lt (local.get $v) (f64.const 0))) (then (local.set $v (f64.const 0))))
        (f32.store (local.get $x) (f32.demote_f64 (local.get $v)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $each))))

  ;; out[l − minLag] = Σ_{i<n} x[i] · x[i + l] for minLag ≤ l ≤ maxLag: a window's dot products
  ;; with itself shifted by each lag. x and out are byte offsets (x + 4·l need not be aligned);
  ;; eight products per step in two accumulators, then the n mod 8 left one at a time. Four lags
  ;; at a time share the loads of the window (each lag's sums in the same order as alone), the
  ;; lags left over one at a time.
  (func $lagdots (export "lagdots") (param $x i32) (param $out i32) (param $minLag i32) (param $maxLag i32) (param $n i32)
    (local $lag i32) (local $p i32) (local $q i32) (local $end i32) (local $vend i32) (local $r i32)
    (local $a v128) (local $b v128) (local $s f32)
    (local $x0 v128) (local $x1 v128) (local $a1 v128) (local $b1 v128) (local $a2 v128) (local $b2 v128) (local $a3 v128) (local $b3 v128)
    (local.set $lag (local.get $minLag))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $quads_done
      (loop $quads
        (br_if $quads_done (i32.gt_s (i32.add (local.get $lag) (i32.const 3)) (local.get $maxLag)))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $b1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $b2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $b3 (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $x))
        (local.set $q (i32.add (local.get $x) (i32.shl (local.get $lag) (i32.const 2))))
        (block $vector_done
          (loop $vector
            (br_if $vector_done (i32.ge_u (local.get $p) (local.get $vend)))
            (local.set $x0 (v128.load align=4 (local.get $p)))
            (local.set $x1 (v128.load offset=16 align=4 (local.get $p)))
            (local.set $a (f32x4.add (local.get $a) (f32x4.mul (local.get $x0) (v128.load align=4 (local.get $q)))))
            (local.set $b (f32x4.add (local.get $b) (f32x4.mul (local.get $x1) (v128.load offset=16 align=4 (local.get $q)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x0) (v128.load offset=4 align=4 (local.get $q)))))
            (local.set $b1 (f32x4.add (local.get $b1) (f32x4.mul (local.get $x1) (v128.load offset=20 align=4 (local.get $q)))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x0) (v128.load offset=8 align=4 (local.get $q)))))
            (local.set $b2 (f32x4.add (local.get $b2) (f32x4.mul (local.get $x1) (v128.load offset=24 align=4 (local.get $q)))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x0) (v128.load offset=12 align=4 (local.get $q)))))
            (local.set $b3 (f32x4.add (local.get $b3) (f32x4.mul (local.get $x1) (v128.load offset=28 align=4 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $vector)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (local.set $a1 (f32x4.add (local.get $a1) (local.get $b1)))
        (local.set $a2 (f32x4.add (local.get $a2) (local.get $b2)))
        (local.set $a3 (f32x4.add (local.get $a3) (local.get $b3)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
            (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (f32.store offset=4 (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a1)) (f32x4.extract_lane 1 (local.get $a1)))
            (f32.add (f32x4.extract_lane 2 (local.get $a1)) (f32x4.extract_lane 3 (local.get $a1)))))
        (f32.store offset=8 (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a2)) (f32x4.extract_lane 1 (local.get $a2)))
            (f32.add (f32x4.extract_lane 2 (local.get $a2)) (f32x4.extract_lane 3 (local.get $a2)))))
        (f32.store offset=12 (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a3)) (f32x4.extract_lane 1 (local.get $a3)))
            (f32.add (f32x4.extract_lane 2 (local.get $a3)) (f32x4.extract_lane 3 (local.get $a3)))))
        ;; the n mod 8 products left, lag by lag
        (local.set $r (i32.const 0))
        (block $tails_done
          (loop $tails
            (br_if $tails_done (i32.ge_u (local.get $r) (i32.const 16)))
            (local.set $s (f32.load (i32.add (local.get $out) (local.get $r))))
            (local.set $p (local.get $vend))
            (local.set $q (i32.add (i32.add (local.get $vend) (i32.shl (local.get $lag) (i32.const 2))) (local.get $r)))
            (block $tail_done
              (loop $tail
                (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
                (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (local.set $q (i32.add (local.get $q) (i32.const 4)))
                (br $tail)))
            (f32.store (i32.add (local.get $out) (local.get $r)) (local.get $s))
            (local.set $r (i32.add (local.get $r) (i32.const 4)))
            (br $tails)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $lag (i32.add (local.get $lag) (i32.const 4)))
        (br $quads)))
    (block $done
      (loop $lags
        (br_if $done (i32.gt_s (local.get $lag) (local.get $maxLag)))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $x))
        (local.set $q (i32.add (local.get $x) (i32.shl (local.get $lag) (i32.const 2))))
        (block $vector_done
          (loop $vector
            (br_if $vector_done (i32.ge_u (local.get $p) (local.get $vend)))
            (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load align=4 (local.get $p)) (v128.load align=4 (local.get $q)))))
            (local.set $b (f32x4.add (local.get $b) (f32x4.mul (v128.load offset=16 align=4 (local.get $p)) (v128.load offset=16 align=4 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $vector)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (local.set $s
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
            (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $tail)))
        (f32.store (local.get $out) (local.get $s))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $lag (i32.add (local.get $lag) (i32.const 1)))
        (br $lags))))

;; c[i·n + j] += a[i·si + r·sr] · b[r·n + j] for i < m, r < k, j < n (float64, two lanes): rows
  ;; of C built from rows of B, each element summing its terms in order of r with the very
  ;; operations of the scalar loop (multiply, then add), so the result is bit for bit that of
  ;; JavaScript's. Zero terms of A are skipped; the others are taken four at a time, so a chunk of
  ;; C is loaded and stored once per four terms. Pointers are byte offsets (16-byte aligned rows
  ;; run fastest); si and sr count elements; an odd n ends with one scalar step. The MLP
  ;; trainer's batch products.
  (func (export "axpyrows") (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32) (param $n i32) (param $si i32) (param $sr i32)
    (local $i i32) (local $ai i32) (local $step i32) (local $row i32) (local $ci i32) (local $cend i32) (local $vend i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $step (i32.shl (local.get $sr) (i32.const 3)))
    (local.set $ci (local.get $c))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ai (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $si)) (i32.const 3))))
        (local.set $cend (i32.add (local.get $ci) (local.get $row)))
        (local.set $vend (i32.add (local.get $ci) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
        (local.set $r3 (i32.const -1))
        (block $row_done
          (loop $terms
            (local.set $r0 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r3) (i32.const 1)) (local.get $k)))
            (br_if $row_done (i32.ge_u (local.get $r0) (local.get $k)))
            (local.set $r1 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r0) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r1) (local.get $k))
              (then
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (br $row_done)))
            (local.set $r2 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r1) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r2) (local.get $k))
              (then
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r1))
                (br $row_done)))
            (local.set $r3 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r2) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r3) (local.get $k))
              (then
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r1))
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r2))
                (br $row_done)))
            (call $axpy4 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row)
              (local.get $r0) (local.get $r1) (local.get $r2) (local.get $r3))
            (br $terms)))
        (local.set $ci (local.get $cend))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The first r ≥ from with a non-zero term A(i, r) (at ai + r·step), or k when there is none.
  (func $next (param $ai i32) (param $step i32) (param $from i32) (param $k i32) (result i32)
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $from) (local.get $k)))
        (br_if $found (f64.ne (f64.load (i32.add (local.get $ai) (i32.mul (local.get $from) (local.get $step)))) (f64.const 0)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $scan)))
    (local.get $from))

  ;; One term: C row (ci … cend) += A(i, r) · B row r.
  (func $axpy1 (param $ci i32) (param $vend i32) (param $cend i32) (param $ai i32) (param $step i32) (param $b i32) (param $row i32) (param $r i32)
    (local $v f64) (local $vv v128) (local $bj i32)
    (local.set $v (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r) (local.get $step)))))
    (local.set $vv (f64x2.splat (local.get $v)))
    (local.set $bj (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $row))))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $ci) (local.get $vend)))
        (v128.store align=8 (local.get $ci) (f64x2.add (v128.load align=8 (local.get $ci)) (f64x2.mul (local.get $vv) (v128.load align=8 (local.get $bj)))))
        (local.set $ci (i32.add (local.get $ci) (i32.const 16)))
        (local.set $bj (i32.add (local.get $bj) (i32.const 16)))
        (br $cols)))
    (if (i32.lt_u (local.get $ci) (local.get $cend))
      (then (f64.store (local.get $ci) (f64.add (f64.load (local.get $ci)) (f64.mul (local.get $v) (f64.load (local.get $bj))))))))

  ;; Four terms in order: ((((C + v0·B0) + v1·B1) + v2·B2) + v3·B3), C loaded and stored once.
  (func $axpy4 (param $ci i32) (param $vend i32) (param $cend i32) (param $ai i32) (param $step i32) (param $b i32) (param $row i32)
    (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $r3 i32)
    (local $v0 f64) (local $v1 f64) (local $v2 f64) (local $v3 f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $o i32) (local $acc v128) (local $x f64)
    (local.set $v0 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r0) (local.get $step)))))
    (local.set $v1 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r1) (local.get $step)))))
    (local.set $v2 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r2) (local.get $step)))))
    (local.set $v3 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r3) (local.get $step)))))
    (local.set $s0 (f64x2.splat (local.get $v0)))
    (local.set $s1 (f64x2.splat (local.get $v1)))
    (local.set $s2 (f64x2.splat (local.get $v2)))
    (local.set $s3 (f64x2.splat (local.get $v3)))
    (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $r0) (local.get $row))))
    (local.set $b1 (i32.add (local.get $b) (i32.mul (local.get $r1) (local.get $row))))
    (local.set $b2 (i32.add (local.get $b) (i32.mul (local.get $r2) (local.get $row))))
    (local.set $b3 (i32.add (local.get $b) (i32.mul (local.get $r3) (local.get $row))))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $ci) (local.get $vend)))
        (local.set $acc (v128.load align=8 (local.get $ci)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s0) (v128.load align=8 (i32.add (local.get $b0) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s1) (v128.load align=8 (i32.add (local.get $b1) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s2) (v128.load align=8 (i32.add (local.get $b2) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s3) (v128.load align=8 (i32.add (local.get $b3) (local.get $o))))))
        (v128.store align=8 (local.get $ci) (local.get $acc))
        (local.set $ci (i32.add (local.get $ci) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $cols)))
    (if (i32.lt_u (local.get $ci) (local.get $cend))
      (then
        (local.set $x (f64.load (local.get $ci)))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v0) (f64.load (i32.add (local.get $b0) (local.get $o))))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v1) (f64.load (i32.add (local.get $b1) (local.get $o))))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v2) (f64.load (i32.add (local.get $b2) (local.get $o))))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v3) (f64.load (i32.add (local.get $b3) (local.get $o))))))
        (f64.store (local.get $ci) (local.get $x)))))

  ;; axpyrows in float32, four lanes: the same products for the MLP trainer's big batch
  ;; products at twice the width (n not a multiple of four ends in scalar steps).
  (func (export "axpyrows32") (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32) (param $n i32) (param $si i32) (param $sr i32)
    (local $i i32) (local $ai i32) (local $step i32) (local $row i32) (local $ci i32) (local $cend i32) (local $vend i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (local.set $step (i32.shl (local.get $sr) (i32.const 2)))
    (local.set $ci (local.get $c))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ai (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $si)) (i32.const 2))))
        (local.set $cend (i32.add (local.get $ci) (local.get $row)))
        (local.set $vend (i32.add (local.get $ci) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
        (local.set $r3 (i32.const -1))
        (block $row_done
          (loop $terms
            (local.set $r0 (call $next_32 (local.get $ai) (local.get $step) (i32.add (local.get $r3) (i32.const 1)) (local.get $k)))
            (br_if $row_done (i32.ge_u (local.get $r0) (local.get $k)))
            (local.set $r1 (call $next_32 (local.get $ai) (local.get $step) (i32.add (local.get $r0) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r1) (local.get $k))
              (then
                (call $axpy1_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (br $row_done)))
            (local.set $r2 (call $next_32 (local.get $ai) (local.get $step) (i32.add (local.get $r1) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r2) (local.get $k))
              (then
                (call $axpy1_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (call $axpy1_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r1))
                (br $row_done)))
            (local.set $r3 (call $next_32 (local.get $ai) (local.get $step) (i32.add (local.get $r2) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r3) (local.get $k))
              (then
                (call $axpy1_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (call $axpy1_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r1))
                (call $axpy1_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r2))
                (br $row_done)))
            (call $axpy4_32 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row)
              (local.get $r0) (local.get $r1) (local.get $r2) (local.get $r3))
            (br $terms)))
        (local.set $ci (local.get $cend))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The first r ≥ from with a non-zero term A(i, r) (at ai + r·step), or k when there is none.
  (func $next_32 (param $ai i32) (param $step i32) (param $from i32) (param $k i32) (result i32)
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $from) (local.get $k)))
        (br_if $found (f32.ne (f32.load (i32.add (local.get $ai) (i32.mul (local.get $from) (local.get $step)))) (f32.const 0)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $scan)))
    (local.get $from))

  ;; One term: C row (ci … cend) += A(i, r) · B row r.
  (func $axpy1_32 (param $ci i32) (param $vend i32) (param $cend i32) (param $ai i32) (param $step i32) (param $b i32) (param $row i32) (param $r i32)
    (local $v f32) (local $vv v128) (local $bj i32)
    (local.set $v (f32.load (i32.add (local.get $ai) (i32.mul (local.get $r) (local.get $step)))))
    (local.set $vv (f32x4.splat (local.get $v)))
    (local.set $bj (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $row))))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $ci) (local.get $vend)))
        (v128.store align=4 (local.get $ci) (f32x4.add (v128.load align=4 (local.get $ci)) (f32x4.mul (local.get $vv) (v128.load align=4 (local.get $bj)))))
        (local.set $ci (i32.add (local.get $ci) (i32.const 16)))
        (local.set $bj (i32.add (local.get $bj) (i32.const 16)))
        (br $cols)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $ci) (local.get $cend)))
        (f32.store (local.get $ci) (f32.add (f32.load (local.get $ci)) (f32.mul (local.get $v) (f32.load (local.get $bj)))))
        (local.set $ci (i32.add (local.get $ci) (i32.const 4)))
        (local.set $bj (i32.add (local.get $bj) (i32.const 4)))
        (br $tail))))

  ;; Four terms in order: ((((C + v0·B0) + v1·B1) + v2·B2) + v3·B3), C loaded and stored once.
  (func $axpy4_32 (param $ci i32) (param $vend i32) (param $cend i32) (param $ai i32) (param $step i32) (param $b i32) (param $row i32)
    (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $r3 i32)
    (local $v0 f32) (local $v1 f32) (local $v2 f32) (local $v3 f32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $o i32) (local $acc v128) (local $x f32)
    (local.set $v0 (f32.load (i32.add (local.get $ai) (i32.mul (local.get $r0) (local.get $step)))))
    (local.set $v1 (f32.load (i32.add (local.get $ai) (i32.mul (local.get $r1) (local.get $step)))))
    (local.set $v2 (f32.load (i32.add (local.get $ai) (i32.mul (local.get $r2) (local.get $step)))))
    (local.set $v3 (f32.load (i32.add (local.get $ai) (i32.mul (local.get $r3) (local.get $step)))))
    (local.set $s0 (f32x4.splat (local.get $v0)))
    (local.set $s1 (f32x4.splat (local.get $v1)))
    (local.set $s2 (f32x4.splat (local.get $v2)))
    (local.set $s3 (f32x4.splat (local.get $v3)))
    (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $r0) (local.get $row))))
    (local.set $b1 (i32.add (local.get $b) (i32.mul (local.get $r1) (local.get $row))))
    (local.set $b2 (i32.add (local.get $b) (i32.mul (local.get $r2) (local.get $row))))
    (local.set $b3 (i32.add (local.get $b) (i32.mul (local.get $r3) (local.get $row))))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $ci) (local.get $vend)))
        (local.set $acc (v128.load align=4 (local.get $ci)))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $s0) (v128.load align=4 (i32.add (local.get $b0) (local.get $o))))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $s1) (v128.load align=4 (i32.add (local.get $b1) (local.get $o))))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $s2) (v128.load align=4 (i32.add (local.get $b2) (local.get $o))))))
        (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $s3) (v128.load align=4 (i32.add (local.get $b3) (local.get $o))))))
        (v128.store align=4 (local.get $ci) (local.get $acc))
        (local.set $ci (i32.add (local.get $ci) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $cols)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $ci) (local.get $cend)))
        (local.set $x (f32.load (local.get $ci)))
        (local.set $x (f32.add (local.get $x) (f32.mul (local.get $v0) (f32.load (i32.add (local.get $b0) (local.get $o))))))
        (local.set $x (f32.add (local.get $x) (f32.mul (local.get $v1) (f32.load (i32.add (local.get $b1) (local.get $o))))))
        (local.set $x (f32.add (local.get $x) (f32.mul (local.get $v2) (f32.load (i32.add (local.get $b2) (local.get $o))))))
        (local.set $x (f32.add (local.get $x) (f32.mul (local.get $v3) (f32.load (i32.add (local.get $b3) (local.get $o))))))
        (f32.store (local.get $ci) (local.get $x))
        (local.set $ci (i32.add (local.get $ci) (i32.const 4)))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail))))

  ;; The MLP trainer's forward product with dropout drawn first: for each row i and each unit u
  ;; listed for it (i32 unit indices at idx + i·n·4, count[i] of them, a multiple of four: the
  ;; caller repeats the last), c[i·n + u] = max(0, Σ_r a[i·k + r]·b[u·k + r] + bias[u])·scale
  ;; (float32, four lanes; k a multiple of four). Units not listed are left as they are: dropped
  ;; units cost nothing. Four units at a time, so each vector of the row is loaded once per four.
  (func (export "keptdots32") (param $c i32) (param $a i32) (param $b i32) (param $bias i32) (param $idx i32) (param $count i32)
    (param $m i32) (param $k i32) (param $n i32) (param $scale f32)
    (local $i i32) (local $ai i32) (local $li i32) (local $lend i32) (local $crow i32) (local $kb i32) (local $r i32)
    (local $u0 i32) (local $u1 i32) (local $u2 i32) (local $u3 i32)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $av v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ai (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $crow (i32.add (local.get $c) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $li (i32.add (local.get $idx) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 2))))
        (local.set $lend (i32.add (local.get $li)
          (i32.shl (i32.load (i32.add (local.get $count) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2))))
        (block $units_done
          (loop $units
            (br_if $units_done (i32.ge_u (local.get $li) (local.get $lend)))
            (local.set $u0 (i32.load (local.get $li)))
            (local.set $u1 (i32.load offset=4 (local.get $li)))
            (local.set $u2 (i32.load offset=8 (local.get $li)))
            (local.set $u3 (i32.load offset=12 (local.get $li)))
            (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $u0) (local.get $kb))))
            (local.set $b1 (i32.add (local.get $b) (i32.mul (local.get $u1) (local.get $kb))))
            (local.set $b2 (i32.add (local.get $b) (i32.mul (local.get $u2) (local.get $kb))))
            (local.set $b3 (i32.add (local.get $b) (i32.mul (local.get $u3) (local.get $kb))))
            (local.set $acc0 (v128.const i32x4 0 0 0 0))
            (local.set $acc1 (v128.const i32x4 0 0 0 0))
            (local.set $acc2 (v128.const i32x4 0 0 0 0))
            (local.set $acc3 (v128.const i32x4 0 0 0 0))
            (local.set $r (i32.const 0))
            (block $dot_done
              (loop $dot
                (br_if $dot_done (i32.ge_u (local.get $r) (local.get $kb)))
                (local.set $av (v128.load align=4 (i32.add (local.get $ai) (local.get $r))))
                (local.set $acc0 (f32x4.add (local.get $acc0) (f32x4.mul (local.get $av) (v128.load align=4 (i32.add (local.get $b0) (local.get $r))))))
                (local.set $acc1 (f32x4.add (local.get $acc1) (f32x4.mul (local.get $av) (v128.load align=4 (i32.add (local.get $b1) (local.get $r))))))
                (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $av) (v128.load align=4 (i32.add (local.get $b2) (local.get $r))))))
                (local.set $acc3 (f32x4.add (local.get $acc3) (f32x4.mul (local.get $av) (v128.load align=4 (i32.add (local.get $b3) (local.get $r))))))
                (local.set $r (i32.add (local.get $r) (i32.const 16)))
                (br $dot)))
            (call $unitout (local.get $crow) (local.get $bias) (local.get $u0) (local.get $acc0) (local.get $scale))
            (call $unitout (local.get $crow) (local.get $bias) (local.get $u1) (local.get $acc1) (local.get $scale))
            (call $unitout (local.get $crow) (local.get $bias) (local.get $u2) (local.get $acc2) (local.get $scale))
            (call $unitout (local.get $crow) (local.get $bias) (local.get $u3) (local.get $acc3) (local.get $scale))
            (local.set $li (i32.add (local.get $li) (i32.const 16)))
            (br $units)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; c[u] = max(0, (sum of acc's lanes) + bias[u])·scale (float32).
  (func $unitout (param $crow i32) (param $bias i32) (param $u i32) (param $acc v128) (param $scale f32)
    (local $o i32)
    (local.set $o (i32.shl (local.get $u) (i32.const 2)))
    (f32.store (i32.add (local.get $crow) (local.get $o))
      (f32.mul
        (f32.max
          (f32.add
            (f32.add
              (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
              (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc))))
            (f32.load (i32.add (local.get $bias) (local.get $o))))
          (f32.const 0))
        (local.get $scale))))

  ;; One Adam step over n float32 parameters p with first and second moments m and v, L2 decay
  ;; folded into the gradient g: g' = g + decay·p; m = b1·m + c1m·g'; v = b2·v + (c2m·g')·g';
  ;; p = p − ((lr·m)·c1) / (sqrt(v·c2) + 1e−8), where c1m = 1 − b1 and c2m = 1 − b2. Four lanes
  ;; (n not a multiple of four ends in scalar steps); pointers are byte offsets: the float32
  ;; trainer's step.
  (func (export "adam32") (param $p i32) (param $m i32) (param $v i32) (param $g i32) (param $n i32)
    (param $decay f32) (param $b1 f32) (param $c1m f32) (param $b2 f32) (param $c2m f32) (param $lr f32) (param $c1 f32) (param $c2 f32)
    (local $end i32) (local $vend i32) (local $o i32)
    (local $pi v128) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $sp f32) (local $sg f32) (local $sm f32) (local $sv f32)
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $pi (v128.load align=4 (i32.add (local.get $p) (local.get $o))))
        (local.set $gi (f32x4.add (v128.load align=4 (i32.add (local.get $g) (local.get $o))) (f32x4.mul (f32x4.splat (local.get $decay)) (local.get $pi))))
        (local.set $mi (f32x4.add (f32x4.mul (f32x4.splat (local.get $b1)) (v128.load align=4 (i32.add (local.get $m) (local.get $o)))) (f32x4.mul (f32x4.splat (local.get $c1m)) (local.get $gi))))
        (local.set $vi (f32x4.add (f32x4.mul (f32x4.splat (local.get $b2)) (v128.load align=4 (i32.add (local.get $v) (local.get $o)))) (f32x4.mul (f32x4.mul (f32x4.splat (local.get $c2m)) (local.get $gi)) (local.get $gi))))
        (v128.store align=4 (i32.add (local.get $m) (local.get $o)) (local.get $mi))
        (v128.store align=4 (i32.add (local.get $v) (local.get $o)) (local.get $vi))
        (v128.store align=4 (i32.add (local.get $p) (local.get $o))
          (f32x4.sub (local.get $pi)
            (f32x4.div
              (f32x4.mul (f32x4.mul (f32x4.splat (local.get $lr)) (local.get $mi)) (f32x4.splat (local.get $c1)))
              (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $vi) (f32x4.splat (local.get $c2)))) (f32x4.splat (f32.const 1e-8))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $quads)))
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $sp (f32.load (i32.add (local.get $p) (local.get $o))))
        (local.set $sg (f32.add (f32.load (i32.add (local.get $g) (local.get $o))) (f32.mul (local.get $decay) (local.get $sp))))
        (local.set $sm (f32.add (f32.mul (local.get $b1) (f32.load (i32.add (local.get $m) (local.get $o)))) (f32.mul (local.get $c1m) (local.get $sg))))
        (local.set $sv (f32.add (f32.mul (local.get $b2) (f32.load (i32.add (local.get $v) (local.get $o)))) (f32.mul (f32.mul (local.get $c2m) (local.get $sg)) (local.get $sg))))
        (f32.store (i32.add (local.get $m) (local.get $o)) (local.get $sm))
        (f32.store (i32.add (local.get $v) (local.get $o)) (local.get $sv))
        (f32.store (i32.add (local.get $p) (local.get $o))
          (f32.sub (local.get $sp)
            (f32.div
              (f32.mul (f32.mul (local.get $lr) (local.get $sm)) (local.get $c1))
              (f32.add (f32.sqrt (f32.mul (local.get $sv) (local.get $c2))) (f32.const 1e-8)))))
        (local.set $o (i32.add (local.get $o) (i32.const 4)))
        (br $tail))))

  ;; The float32 trainer's hidden gradient: d[i·n + j] = act[i·n + j] > 0 ? d[i·n + j]·scale : 0
  ;; (units inactive or dropped pass nothing back) for i < m, and sum[j] = Σ_i d[i·n + j], rows
  ;; in order. n a multiple of four; pointers are byte offsets.
  (func (export "relugrad32") (param $d i32) (param $act i32) (param $m i32) (param $n i32) (param $scale f32) (param $sum i32)
    (local $i i32) (local $o i32) (local $row i32) (local $end i32) (local $v v128) (local $sv v128)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (local.set $sv (f32x4.splat (local.get $scale)))
    (local.set $o (i32.const 0))
    (block $z_done
      (loop $z
        (br_if $z_done (i32.ge_u (local.get $o) (local.get $row)))
        (v128.store align=4 (i32.add (local.get $sum) (local.get $o)) (v128.const i32x4 0 0 0 0))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $z)))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $o (i32.const 0))
        (block $cols_done
          (loop $cols
            (br_if $cols_done (i32.ge_u (local.get $o) (local.get $row)))
            (local.set $v
              (v128.and
                (f32x4.mul (v128.load align=4 (i32.add (local.get $d) (local.get $o))) (local.get $sv))
                (f32x4.gt (v128.load align=4 (i32.add (local.get $act) (local.get $o))) (v128.const i32x4 0 0 0 0))))
            (v128.store align=4 (i32.add (local.get $d) (local.get $o)) (local.get $v))
            (v128.store align=4 (i32.add (local.get $sum) (local.get $o))
              (f32x4.add (v128.load align=4 (i32.add (local.get $sum) (local.get $o))) (local.get $v)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $cols)))
        (local.set $d (i32.add (local.get $d) (local.get $row)))
        (local.set $act (i32.add (local.get $act) (local.get $row)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))
)
