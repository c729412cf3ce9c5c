;; Dense layer arithmetic for the classifier on WebAssembly SIMD (float32, four lanes).
;; Build: bun run build:wasm (writes dense.wasm next to this file).
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
        (br $row)))))
