	.intel_syntax noprefix
	.file	"al.34ac6e4ad9195d02-cgu.0"
	.section	.text.thrice,"ax",@progbits
	.globl	thrice
	.p2align	4
	.type	thrice,@function
thrice:
.Lfunc_begin0:
	.cfi_startproc
	.file	1 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/ptr/non_null.rs"
	.loc	1 1720 9 prologue_end
	test	rsi, rsi
.Ltmp0:
	.file	2 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/slice/iter/macros.rs"
	.loc	2 25 86
	je	.LBB0_1
.Ltmp1:
	.loc	2 284 24
	cmp	rsi, 4
	jae	.LBB0_5
.Ltmp2:
	.loc	2 0 24 is_stmt 0
	xor	ecx, ecx
	xor	eax, eax
	jmp	.LBB0_4
.LBB0_1:
	xor	eax, eax
	.file	3 "/tmp/exp" "al.rs"
	.loc	3 9 66 is_stmt 1
	ret
.LBB0_5:
	.loc	3 0 66 is_stmt 0
	movabs	rcx, 1152921504606846972
	and	rcx, rsi
.Ltmp3:
	.loc	2 284 24 is_stmt 1
	lea	rax, [8*rsi]
	and	rax, -32
	pxor	xmm0, xmm0
	xor	edx, edx
	pxor	xmm1, xmm1
	.loc	2 0 24 is_stmt 0
.Ltmp4:
	.p2align	4
.LBB0_6:
.Ltmp5:
	.file	4 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/ops/arith.rs"
	.loc	4 352 45 is_stmt 1
	movdqa	xmm2, xmm0
.Ltmp6:
	.loc	2 279 27
	movdqu	xmm0, xmmword ptr [rdi + rdx]
.Ltmp7:
	.loc	4 352 45
	movdqa	xmm3, xmm1
.Ltmp8:
	.loc	2 279 27
	movdqu	xmm1, xmmword ptr [rdi + rdx + 16]
.Ltmp9:
	.loc	4 352 45
	paddq	xmm2, xmm0
	paddq	xmm0, xmm0
.Ltmp10:
	.file	5 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/traits/accum.rs"
	.loc	5 53 28
	paddq	xmm0, xmm2
.Ltmp11:
	.loc	4 352 45
	paddq	xmm3, xmm1
	paddq	xmm1, xmm1
.Ltmp12:
	.loc	5 53 28
	paddq	xmm1, xmm3
.Ltmp13:
	.loc	2 284 24
	add	rdx, 32
	cmp	rax, rdx
	jne	.LBB0_6
	paddq	xmm1, xmm0
	pshufd	xmm0, xmm1, 238
	paddq	xmm0, xmm1
	movq	rax, xmm0
	jmp	.LBB0_8
.LBB0_4:
	.loc	2 279 27
	mov	rdx, qword ptr [rdi + 8*rcx]
.Ltmp14:
	.loc	4 352 45
	lea	rdx, [rdx + 2*rdx]
.Ltmp15:
	.loc	5 53 28
	add	rax, rdx
.Ltmp16:
	.file	6 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/num/uint_macros.rs"
	.loc	6 844 17
	inc	rcx
.Ltmp17:
.LBB0_8:
	.loc	2 284 24
	cmp	rsi, rcx
	jne	.LBB0_4
.Ltmp18:
	.loc	3 9 66
	ret
.Ltmp19:
.Lfunc_end0:
	.size	thrice, .Lfunc_end0-thrice
	.cfi_endproc
	.file	7 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/traits/iterator.rs"
	.file	8 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/adapters/map.rs"
	.file	9 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/internal_macros.rs"

	.section	.text.twice_a,"ax",@progbits
	.globl	twice_a
	.p2align	4
	.type	twice_a,@function
twice_a:
.Lfunc_begin1:
	.cfi_startproc
	.loc	1 1720 9 prologue_end
	test	rsi, rsi
.Ltmp20:
	.loc	2 25 86
	je	.LBB1_1
.Ltmp21:
	.loc	2 284 24
	cmp	rsi, 4
	jae	.LBB1_5
.Ltmp22:
	.loc	2 0 24 is_stmt 0
	xor	ecx, ecx
	xor	eax, eax
	jmp	.LBB1_4
.LBB1_1:
	xor	eax, eax
	.loc	3 3 67 is_stmt 1
	ret
.LBB1_5:
	.loc	3 0 67 is_stmt 0
	movabs	rcx, 1152921504606846972
	and	rcx, rsi
.Ltmp23:
	.loc	2 284 24 is_stmt 1
	lea	rax, [8*rsi]
	and	rax, -32
	pxor	xmm0, xmm0
	xor	edx, edx
	pxor	xmm1, xmm1
	.loc	2 0 24 is_stmt 0
.Ltmp24:
	.p2align	4
.LBB1_6:
	.loc	2 279 27 is_stmt 1
	movdqu	xmm2, xmmword ptr [rdi + rdx]
	movdqu	xmm3, xmmword ptr [rdi + rdx + 16]
.Ltmp25:
	.loc	4 352 45
	paddq	xmm2, xmm2
.Ltmp26:
	.loc	5 53 28
	paddq	xmm1, xmm2
.Ltmp27:
	.loc	4 352 45
	paddq	xmm3, xmm3
.Ltmp28:
	.loc	5 53 28
	paddq	xmm0, xmm3
.Ltmp29:
	.loc	2 284 24
	add	rdx, 32
	cmp	rax, rdx
	jne	.LBB1_6
	paddq	xmm0, xmm1
	pshufd	xmm1, xmm0, 238
	paddq	xmm1, xmm0
	movq	rax, xmm1
	jmp	.LBB1_8
.LBB1_4:
	.loc	2 279 27
	mov	rdx, qword ptr [rdi + 8*rcx]
.Ltmp30:
	.loc	5 53 28
	lea	rax, [rax + 2*rdx]
.Ltmp31:
	.loc	6 844 17
	inc	rcx
.Ltmp32:
.LBB1_8:
	.loc	2 284 24
	cmp	rsi, rcx
	jne	.LBB1_4
.Ltmp33:
	.loc	3 3 67
	ret
.Ltmp34:
.Lfunc_end1:
	.size	twice_a, .Lfunc_end1-twice_a
	.cfi_endproc

	.globl	twice_b
	.type	twice_b,@function
twice_b = twice_a
	.section	.debug_abbrev,"",@progbits
	.byte	1
	.byte	17
	.byte	1
	.byte	37
	.byte	14
	.byte	19
	.byte	5
	.byte	3
	.byte	14
	.byte	16
	.byte	23
	.byte	27
	.byte	14
	.byte	17
	.byte	1
	.byte	85
	.byte	23
	.byte	0
	.byte	0
	.byte	2
	.byte	46
	.byte	0
	.byte	3
	.byte	14
	.byte	32
	.byte	11
	.byte	0
	.byte	0
	.byte	3
	.byte	46
	.byte	1
	.byte	17
	.byte	1
	.byte	18
	.byte	6
	.byte	3
	.byte	14
	.byte	0
	.byte	0
	.byte	4
	.byte	29
	.byte	1
	.byte	49
	.byte	19
	.byte	85
	.byte	23
	.byte	88
	.byte	11
	.byte	89
	.byte	11
	.byte	87
	.byte	11
	.byte	0
	.byte	0
	.byte	5
	.byte	29
	.byte	1
	.byte	49
	.byte	19
	.byte	85
	.byte	23
	.byte	88
	.byte	11
	.byte	89
	.byte	5
	.byte	87
	.byte	11
	.byte	0
	.byte	0
	.byte	6
	.byte	29
	.byte	0
	.byte	49
	.byte	19
	.byte	17
	.byte	1
	.byte	18
	.byte	6
	.byte	88
	.byte	11
	.byte	89
	.byte	11
	.byte	87
	.byte	11
	.byte	0
	.byte	0
	.byte	7
	.byte	29
	.byte	0
	.byte	49
	.byte	19
	.byte	85
	.byte	23
	.byte	88
	.byte	11
	.byte	89
	.byte	11
	.byte	87
	.byte	11
	.byte	0
	.byte	0
	.byte	8
	.byte	29
	.byte	0
	.byte	49
	.byte	19
	.byte	17
	.byte	1
	.byte	18
	.byte	6
	.byte	88
	.byte	11
	.byte	89
	.byte	5
	.byte	87
	.byte	11
	.byte	0
	.byte	0
	.byte	0
	.section	.debug_info,"",@progbits
.Lcu_begin0:
	.long	.Ldebug_info_end0-.Ldebug_info_start0
.Ldebug_info_start0:
	.short	4
	.long	.debug_abbrev
	.byte	8
	.byte	1
	.long	.Linfo_string0
	.short	28
	.long	.Linfo_string1
	.long	.Lline_table_start0
	.long	.Linfo_string2
	.quad	0
	.long	.Ldebug_ranges8
	.byte	2
	.long	.Linfo_string3
	.byte	1
	.byte	2
	.long	.Linfo_string4
	.byte	1
	.byte	2
	.long	.Linfo_string5
	.byte	1
	.byte	2
	.long	.Linfo_string6
	.byte	1
	.byte	2
	.long	.Linfo_string7
	.byte	1
	.byte	2
	.long	.Linfo_string8
	.byte	1
	.byte	2
	.long	.Linfo_string8
	.byte	1
	.byte	2
	.long	.Linfo_string9
	.byte	1
	.byte	2
	.long	.Linfo_string10
	.byte	1
	.byte	2
	.long	.Linfo_string11
	.byte	1
	.byte	2
	.long	.Linfo_string12
	.byte	1
	.byte	3
	.quad	.Lfunc_begin0
	.long	.Lfunc_end0-.Lfunc_begin0
	.long	.Linfo_string19
	.byte	4
	.long	66
	.long	.Ldebug_ranges0
	.byte	3
	.byte	9
	.byte	59
	.byte	5
	.long	60
	.long	.Ldebug_ranges0
	.byte	7
	.short	3658
	.byte	9
	.byte	4
	.long	54
	.long	.Ldebug_ranges0
	.byte	5
	.byte	50
	.byte	22
	.byte	4
	.long	48
	.long	.Ldebug_ranges0
	.byte	8
	.byte	128
	.byte	19
	.byte	6
	.long	42
	.quad	.Lfunc_begin0
	.long	.Ltmp0-.Lfunc_begin0
	.byte	2
	.byte	44
	.byte	20
	.byte	5
	.long	90
	.long	.Ldebug_ranges1
	.byte	2
	.short	279
	.byte	27
	.byte	4
	.long	84
	.long	.Ldebug_ranges2
	.byte	8
	.byte	88
	.byte	28
	.byte	4
	.long	78
	.long	.Ldebug_ranges2
	.byte	3
	.byte	9
	.byte	52
	.byte	7
	.long	72
	.long	.Ldebug_ranges2
	.byte	9
	.byte	28
	.byte	17
	.byte	0
	.byte	0
	.byte	7
	.long	96
	.long	.Ldebug_ranges3
	.byte	8
	.byte	88
	.byte	21
	.byte	0
	.byte	8
	.long	102
	.quad	.Ltmp16
	.long	.Ltmp17-.Ltmp16
	.byte	2
	.short	283
	.byte	36
	.byte	0
	.byte	0
	.byte	0
	.byte	0
	.byte	0
	.byte	2
	.long	.Linfo_string3
	.byte	1
	.byte	2
	.long	.Linfo_string13
	.byte	1
	.byte	2
	.long	.Linfo_string14
	.byte	1
	.byte	2
	.long	.Linfo_string15
	.byte	1
	.byte	2
	.long	.Linfo_string16
	.byte	1
	.byte	2
	.long	.Linfo_string8
	.byte	1
	.byte	2
	.long	.Linfo_string8
	.byte	1
	.byte	2
	.long	.Linfo_string9
	.byte	1
	.byte	2
	.long	.Linfo_string17
	.byte	1
	.byte	2
	.long	.Linfo_string18
	.byte	1
	.byte	2
	.long	.Linfo_string12
	.byte	1
	.byte	3
	.quad	.Lfunc_begin1
	.long	.Lfunc_end1-.Lfunc_begin1
	.long	.Linfo_string20
	.byte	4
	.long	308
	.long	.Ldebug_ranges4
	.byte	3
	.byte	3
	.byte	60
	.byte	5
	.long	302
	.long	.Ldebug_ranges4
	.byte	7
	.short	3658
	.byte	9
	.byte	4
	.long	296
	.long	.Ldebug_ranges4
	.byte	5
	.byte	50
	.byte	22
	.byte	4
	.long	290
	.long	.Ldebug_ranges4
	.byte	8
	.byte	128
	.byte	19
	.byte	6
	.long	284
	.quad	.Lfunc_begin1
	.long	.Ltmp20-.Lfunc_begin1
	.byte	2
	.byte	44
	.byte	20
	.byte	5
	.long	332
	.long	.Ldebug_ranges5
	.byte	2
	.short	279
	.byte	27
	.byte	4
	.long	326
	.long	.Ldebug_ranges6
	.byte	8
	.byte	88
	.byte	28
	.byte	4
	.long	320
	.long	.Ldebug_ranges6
	.byte	3
	.byte	3
	.byte	53
	.byte	7
	.long	314
	.long	.Ldebug_ranges6
	.byte	9
	.byte	28
	.byte	17
	.byte	0
	.byte	0
	.byte	7
	.long	338
	.long	.Ldebug_ranges7
	.byte	8
	.byte	88
	.byte	21
	.byte	0
	.byte	8
	.long	344
	.quad	.Ltmp31
	.long	.Ltmp32-.Ltmp31
	.byte	2
	.short	283
	.byte	36
	.byte	0
	.byte	0
	.byte	0
	.byte	0
	.byte	0
	.byte	0
.Ldebug_info_end0:
	.section	.text.thrice,"ax",@progbits
.Lsec_end0:
	.section	.text.twice_a,"ax",@progbits
.Lsec_end1:
	.section	.debug_aranges,"",@progbits
	.long	60
	.short	2
	.long	.Lcu_begin0
	.byte	8
	.byte	0
	.zero	4,255
	.quad	.Lfunc_begin0
	.quad	.Lsec_end0-.Lfunc_begin0
	.quad	.Lfunc_begin1
	.quad	.Lsec_end1-.Lfunc_begin1
	.quad	0
	.quad	0
	.section	.debug_ranges,"",@progbits
.Ldebug_ranges0:
	.quad	.Lfunc_begin0
	.quad	.Ltmp2
	.quad	.Ltmp3
	.quad	.Ltmp18
	.quad	0
	.quad	0
.Ldebug_ranges1:
	.quad	.Ltmp5
	.quad	.Ltmp6
	.quad	.Ltmp7
	.quad	.Ltmp8
	.quad	.Ltmp9
	.quad	.Ltmp13
	.quad	.Ltmp14
	.quad	.Ltmp16
	.quad	0
	.quad	0
.Ldebug_ranges2:
	.quad	.Ltmp5
	.quad	.Ltmp6
	.quad	.Ltmp7
	.quad	.Ltmp8
	.quad	.Ltmp9
	.quad	.Ltmp10
	.quad	.Ltmp11
	.quad	.Ltmp12
	.quad	.Ltmp14
	.quad	.Ltmp15
	.quad	0
	.quad	0
.Ldebug_ranges3:
	.quad	.Ltmp10
	.quad	.Ltmp11
	.quad	.Ltmp12
	.quad	.Ltmp13
	.quad	.Ltmp15
	.quad	.Ltmp16
	.quad	0
	.quad	0
.Ldebug_ranges4:
	.quad	.Lfunc_begin1
	.quad	.Ltmp22
	.quad	.Ltmp23
	.quad	.Ltmp33
	.quad	0
	.quad	0
.Ldebug_ranges5:
	.quad	.Ltmp25
	.quad	.Ltmp29
	.quad	.Ltmp30
	.quad	.Ltmp31
	.quad	0
	.quad	0
.Ldebug_ranges6:
	.quad	.Ltmp25
	.quad	.Ltmp26
	.quad	.Ltmp27
	.quad	.Ltmp28
	.quad	0
	.quad	0
.Ldebug_ranges7:
	.quad	.Ltmp26
	.quad	.Ltmp27
	.quad	.Ltmp28
	.quad	.Ltmp29
	.quad	.Ltmp30
	.quad	.Ltmp31
	.quad	0
	.quad	0
.Ldebug_ranges8:
	.quad	.Lfunc_begin0
	.quad	.Lfunc_end0
	.quad	.Lfunc_begin1
	.quad	.Lfunc_end1
	.quad	0
	.quad	0
	.section	.debug_str,"MS",@progbits,1
.Linfo_string0:
	.asciz	"clang LLVM (rustc version 1.95.0 (59807616e 2026-04-14))"
.Linfo_string1:
	.asciz	"al.rs/@/al.34ac6e4ad9195d02-cgu.0"
.Linfo_string2:
	.asciz	"/tmp/exp"
.Linfo_string3:
	.asciz	"eq<i64>"
.Linfo_string4:
	.asciz	"fold<i64, i64, core::iter::adapters::map::map_fold::{closure_env#0}<&i64, i64, i64, al::thrice::{closure_env#0}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}>>>>"
.Linfo_string5:
	.asciz	"fold<i64, core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}, i64, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}>>>"
.Linfo_string6:
	.asciz	"sum<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}>>"
.Linfo_string7:
	.asciz	"sum<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}>, i64>"
.Linfo_string8:
	.asciz	"mul"
.Linfo_string9:
	.asciz	"{closure#0}"
.Linfo_string10:
	.asciz	"{closure#0}<&i64, i64, i64, al::thrice::{closure_env#0}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}>>>"
.Linfo_string11:
	.asciz	"{closure#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::thrice::{closure_env#0}>>"
.Linfo_string12:
	.asciz	"unchecked_add"
.Linfo_string13:
	.asciz	"fold<i64, i64, core::iter::adapters::map::map_fold::{closure_env#0}<&i64, i64, i64, al::twice_a::{closure_env#0}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}>>>>"
.Linfo_string14:
	.asciz	"fold<i64, core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}, i64, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}>>>"
.Linfo_string15:
	.asciz	"sum<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}>>"
.Linfo_string16:
	.asciz	"sum<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}>, i64>"
.Linfo_string17:
	.asciz	"{closure#0}<&i64, i64, i64, al::twice_a::{closure_env#0}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}>>>"
.Linfo_string18:
	.asciz	"{closure#0}<core::iter::adapters::map::Map<core::slice::iter::Iter<i64>, al::twice_a::{closure_env#0}>>"
.Linfo_string19:
	.asciz	"thrice"
.Linfo_string20:
	.asciz	"twice_a"
	.ident	"rustc version 1.95.0 (59807616e 2026-04-14)"
	.section	".note.GNU-stack","",@progbits
	.section	.debug_line,"",@progbits
.Lline_table_start0:
