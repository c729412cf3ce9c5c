;; The engine's WebAssembly SIMD kernels (float32, four lanes): the classifier's dense layers and
;; the correlations of the voiced-speech check and pitch estimate.
;; Build: bun run build:wasm (writes kernels.wasm next to this file).
(module
  (import "env" "memory" (memory 1))

  ;; out[r] = Σ_c w[r·cols + c] · x[c] for r < rows. cols must be a multiple of 8 (callers pad
  ;; rows and x with zeros); pointers are byte offsets, 16-byte aligned. Two accumulators let
  ;; consecutive multiply-adds overlap.
  (func (export "matvec") (param $w i32) (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $xi i32) (local $end i32) (local $a v128) (local $b v128)
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $xi (local.get $x))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
        (block $row_done
          (loop $col
            (br_if $row_done (i32.ge_u (local.get $xi) (local.get $end)))
            (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load (local.get $w)) (v128.load (local.get $xi)))))
            (local.set $b (f32x4.add (local.get $b) (f32x4.mul (v128.load offset=16 (local.get $w)) (v128.load offset=16 (local.get $xi)))))
            (local.set $w (i32.add (local.get $w) (i32.const 32)))
            (local.set $xi (i32.add (local.get $xi) (i32.const 32)))
            (br $col)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
            (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; out[l − minLag] = Σ_{i<n} x[i] · x[i + l] for minLag ≤ l ≤ maxLag: a window's dot products
  ;; with itself shifted by each lag. x and out are byte offsets (x + 4·l need not be aligned);
  ;; eight products per step in two accumulators, then the n mod 8 left one at a time.
  (func (export "lagdots") (param $x i32) (param $out i32) (param $minLag i32) (param $maxLag i32) (param $n i32)
    (local $lag i32) (local $p i32) (local $q i32) (local $end i32) (local $vend i32)
    (local $a v128) (local $b v128) (local $s f32)
    (local.set $lag (local.get $minLag))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
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
        (br $lags)))))
