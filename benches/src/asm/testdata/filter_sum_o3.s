	.intel_syntax noprefix
	.file	"k.79f6e3749a3a7320-cgu.0"
	.section	.rodata.cst16,"aM",@progbits,16
	.p2align	4, 0x0
.LCPI0_0:
	.quad	2147483648
	.quad	2147483648
	.section	.text.sum_fold,"ax",@progbits
	.globl	sum_fold
	.p2align	4
	.type	sum_fold,@function
sum_fold:
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
	jae	.LBB0_4
	.loc	2 0 24 is_stmt 0
	xor	ecx, ecx
	xor	eax, eax
	.loc	2 284 24
	jmp	.LBB0_7
.Ltmp2:
.LBB0_1:
	.loc	2 0 24
	xor	eax, eax
	.file	3 "/tmp/exp" "k.rs"
	.loc	3 21 2 is_stmt 1
	ret
.LBB0_4:
	.loc	3 0 2 is_stmt 0
	movabs	rcx, 1152921504606846972
	and	rcx, rsi
.Ltmp3:
	.loc	2 284 24 is_stmt 1
	lea	rax, [8*rsi]
	and	rax, -32
	pxor	xmm0, xmm0
	xor	edx, edx
	movdqa	xmm2, xmmword ptr [rip + .LCPI0_0]
	pxor	xmm1, xmm1
	.loc	2 0 24 is_stmt 0
.Ltmp4:
	.p2align	4
.LBB0_5:
	.loc	2 279 27 is_stmt 1
	movdqu	xmm3, xmmword ptr [rdi + rdx]
	movdqu	xmm4, xmmword ptr [rdi + rdx + 16]
.Ltmp5:
	.loc	3 20 43
	movdqa	xmm5, xmm3
	pxor	xmm5, xmm2
	movdqa	xmm6, xmm5
	pcmpgtd	xmm6, xmm2
	pshufd	xmm7, xmm6, 160
	pcmpeqd	xmm5, xmm2
	pshufd	xmm5, xmm5, 245
	pand	xmm5, xmm7
	pshufd	xmm6, xmm6, 245
	por	xmm6, xmm5
	pand	xmm6, xmm3
	movdqa	xmm3, xmm4
	pxor	xmm3, xmm2
	movdqa	xmm5, xmm3
	pcmpgtd	xmm5, xmm2
	pshufd	xmm7, xmm5, 160
	pcmpeqd	xmm3, xmm2
	pshufd	xmm3, xmm3, 245
	pand	xmm3, xmm7
	pshufd	xmm5, xmm5, 245
	por	xmm5, xmm3
	pand	xmm5, xmm4
	paddq	xmm6, xmm6
	paddq	xmm1, xmm6
	paddq	xmm5, xmm5
	paddq	xmm0, xmm5
.Ltmp6:
	.loc	2 284 24
	add	rdx, 32
	cmp	rax, rdx
	jne	.LBB0_5
	paddq	xmm0, xmm1
	pshufd	xmm1, xmm0, 238
	paddq	xmm1, xmm0
	movq	rax, xmm1
	cmp	rsi, rcx
	je	.LBB0_9
.LBB0_7:
	.loc	2 0 24 is_stmt 0
	xor	edx, edx
	.p2align	4
.LBB0_8:
	.loc	2 279 27 is_stmt 1
	mov	r8, qword ptr [rdi + 8*rcx]
.Ltmp7:
	.loc	3 20 43
	test	r8, r8
	cmovle	r8, rdx
	lea	rax, [rax + 2*r8]
.Ltmp8:
	.file	4 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/num/uint_macros.rs"
	.loc	4 844 17
	inc	rcx
.Ltmp9:
	.loc	2 284 24
	cmp	rsi, rcx
	jne	.LBB0_8
.Ltmp10:
.LBB0_9:
	.loc	3 21 2
	ret
.Ltmp11:
.Lfunc_end0:
	.size	sum_fold, .Lfunc_end0-sum_fold
	.cfi_endproc

	.section	.rodata.cst16,"aM",@progbits,16
	.p2align	4, 0x0
.LCPI1_0:
	.quad	2147483648
	.quad	2147483648
	.section	.text.sum_iter,"ax",@progbits
	.globl	sum_iter
	.p2align	4
	.type	sum_iter,@function
sum_iter:
.Lfunc_begin1:
	.cfi_startproc
	.loc	1 1720 9 prologue_end
	test	rsi, rsi
.Ltmp12:
	.loc	2 25 86
	je	.LBB1_1
.Ltmp13:
	.loc	2 284 24
	cmp	rsi, 4
	jae	.LBB1_4
	.loc	2 0 24 is_stmt 0
	xor	ecx, ecx
	xor	eax, eax
	.loc	2 284 24
	jmp	.LBB1_7
.Ltmp14:
.LBB1_1:
	.loc	2 0 24
	xor	eax, eax
	.loc	3 5 2 is_stmt 1
	ret
.LBB1_4:
	.loc	3 0 2 is_stmt 0
	movabs	rcx, 1152921504606846972
	and	rcx, rsi
.Ltmp15:
	.loc	2 284 24 is_stmt 1
	lea	rax, [8*rsi]
	and	rax, -32
	pxor	xmm0, xmm0
	xor	edx, edx
	movdqa	xmm2, xmmword ptr [rip + .LCPI1_0]
	pxor	xmm1, xmm1
	.loc	2 0 24 is_stmt 0
.Ltmp16:
	.p2align	4
.LBB1_5:
.Ltmp17:
	.loc	3 4 31 is_stmt 1
	movdqu	xmm3, xmmword ptr [rdi + rdx]
	movdqu	xmm4, xmmword ptr [rdi + rdx + 16]
.Ltmp18:
	.file	5 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/adapters/filter.rs"
	.loc	5 79 25
	movdqa	xmm5, xmm3
	pxor	xmm5, xmm2
	movdqa	xmm6, xmm5
	pcmpgtd	xmm6, xmm2
	pshufd	xmm7, xmm6, 160
	pcmpeqd	xmm5, xmm2
	pshufd	xmm5, xmm5, 245
	pand	xmm5, xmm7
	pshufd	xmm6, xmm6, 245
	por	xmm6, xmm5
	pand	xmm6, xmm3
	movdqa	xmm3, xmm4
	pxor	xmm3, xmm2
	movdqa	xmm5, xmm3
	pcmpgtd	xmm5, xmm2
	pshufd	xmm7, xmm5, 160
	pcmpeqd	xmm3, xmm2
	pshufd	xmm3, xmm3, 245
	pand	xmm3, xmm7
	pshufd	xmm5, xmm5, 245
	por	xmm5, xmm3
	pand	xmm5, xmm4
	paddq	xmm6, xmm6
	paddq	xmm1, xmm6
	paddq	xmm5, xmm5
	paddq	xmm0, xmm5
.Ltmp19:
	.loc	2 284 24
	add	rdx, 32
	cmp	rax, rdx
	jne	.LBB1_5
	paddq	xmm0, xmm1
	pshufd	xmm1, xmm0, 238
	paddq	xmm1, xmm0
	movq	rax, xmm1
	cmp	rsi, rcx
	je	.LBB1_9
.LBB1_7:
	.loc	2 0 24 is_stmt 0
	xor	edx, edx
	.p2align	4
.LBB1_8:
.Ltmp20:
	.loc	3 4 31 is_stmt 1
	mov	r8, qword ptr [rdi + 8*rcx]
.Ltmp21:
	.loc	5 79 25
	test	r8, r8
	cmovle	r8, rdx
	lea	rax, [rax + 2*r8]
.Ltmp22:
	.loc	4 844 17
	inc	rcx
.Ltmp23:
	.loc	2 284 24
	cmp	rsi, rcx
	jne	.LBB1_8
.Ltmp24:
.LBB1_9:
	.loc	3 5 2
	ret
.Ltmp25:
.Lfunc_end1:
	.size	sum_iter, .Lfunc_end1-sum_iter
	.cfi_endproc
	.file	6 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/traits/iterator.rs"
	.file	7 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/traits/accum.rs"
	.file	8 "/rustc/59807616e1fa2540724bfbac14d7976d7e4a3860" "library/core/src/iter/adapters/map.rs"

	.section	.rodata.cst16,"aM",@progbits,16
	.p2align	4, 0x0
.LCPI2_0:
	.quad	2147483648
	.quad	2147483648
	.section	.text.sum_loop,"ax",@progbits
	.globl	sum_loop
	.p2align	4
	.type	sum_loop,@function
sum_loop:
.Lfunc_begin2:
	.cfi_startproc
	.loc	1 1720 9 prologue_end
	test	rsi, rsi
.Ltmp26:
	.loc	2 180 28
	je	.LBB2_1
.Ltmp27:
	.loc	3 10 14
	lea	rdx, [8*rsi]
.Ltmp28:
	.loc	2 180 28
	add	rdx, -8
	cmp	rdx, 24
	jae	.LBB2_5
	.loc	2 0 28 is_stmt 0
	xor	eax, eax
	mov	rcx, rdi
	.loc	2 180 28
	jmp	.LBB2_8
.Ltmp29:
.LBB2_1:
	.loc	2 0 28
	xor	eax, eax
	.loc	3 16 2 is_stmt 1
	ret
.LBB2_5:
	.loc	3 0 2 is_stmt 0
	shr	rdx, 3
	inc	rdx
	mov	r8, rdx
	and	r8, -4
	lea	rcx, [rdi + 8*r8]
	pxor	xmm0, xmm0
	xor	eax, eax
	movdqa	xmm2, xmmword ptr [rip + .LCPI2_0]
	pxor	xmm1, xmm1
	.p2align	4
.LBB2_6:
.Ltmp30:
	.loc	3 11 12 is_stmt 1
	movdqu	xmm3, xmmword ptr [rdi + 8*rax]
	movdqu	xmm4, xmmword ptr [rdi + 8*rax + 16]
	movdqa	xmm5, xmm3
	pxor	xmm5, xmm2
	movdqa	xmm6, xmm5
	pcmpgtd	xmm6, xmm2
	pshufd	xmm7, xmm6, 160
	pcmpeqd	xmm5, xmm2
	pshufd	xmm5, xmm5, 245
	pand	xmm5, xmm7
	pshufd	xmm6, xmm6, 245
	por	xmm6, xmm5
	pand	xmm6, xmm3
	movdqa	xmm3, xmm4
	pxor	xmm3, xmm2
	movdqa	xmm5, xmm3
	pcmpgtd	xmm5, xmm2
	pshufd	xmm7, xmm5, 160
	pcmpeqd	xmm3, xmm2
	pshufd	xmm3, xmm3, 245
	pand	xmm3, xmm7
	pshufd	xmm5, xmm5, 245
	por	xmm5, xmm3
	pand	xmm5, xmm4
	paddq	xmm6, xmm6
	paddq	xmm1, xmm6
	paddq	xmm5, xmm5
	paddq	xmm0, xmm5
	add	rax, 4
.Ltmp31:
	.loc	2 180 28
	cmp	r8, rax
	jne	.LBB2_6
	paddq	xmm0, xmm1
	pshufd	xmm1, xmm0, 238
	paddq	xmm1, xmm0
	movq	rax, xmm1
	cmp	rdx, r8
	je	.LBB2_2
.Ltmp32:
.LBB2_8:
	.loc	2 0 28 is_stmt 0
	lea	rdx, [rdi + 8*rsi]
	xor	esi, esi
	.p2align	4
.LBB2_9:
.Ltmp33:
	.loc	3 11 12 is_stmt 1
	mov	rdi, qword ptr [rcx]
.Ltmp34:
	.loc	1 659 28
	add	rcx, 8
.Ltmp35:
	.loc	3 11 12
	test	rdi, rdi
	cmovle	rdi, rsi
	lea	rax, [rax + 2*rdi]
.Ltmp36:
	.loc	1 1720 9
	cmp	rcx, rdx
.Ltmp37:
	.loc	2 180 28
	jne	.LBB2_9
.Ltmp38:
.LBB2_2:
	.loc	3 16 2
	ret
.Ltmp39:
.Lfunc_end2:
	.size	sum_loop, .Lfunc_end2-sum_loop
	.cfi_endproc

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
	.byte	6
	.byte	29
	.byte	0
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
	.byte	7
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
	.byte	8
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
	.byte	9
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
	.byte	10
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
	.ascii	"\266B"
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
	.long	.Ldebug_ranges7
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
	.byte	3
	.quad	.Lfunc_begin0
	.long	.Lfunc_end0-.Lfunc_begin0
	.long	.Linfo_string15
	.byte	4
	.long	48
	.long	.Ldebug_ranges0
	.byte	3
	.byte	20
	.byte	20
	.byte	5
	.long	42
	.quad	.Lfunc_begin0
	.long	.Ltmp0-.Lfunc_begin0
	.byte	2
	.byte	44
	.byte	20
	.byte	6
	.long	54
	.long	.Ldebug_ranges1
	.byte	2
	.short	279
	.byte	27
	.byte	7
	.long	60
	.quad	.Ltmp8
	.long	.Ltmp9-.Ltmp8
	.byte	2
	.short	283
	.byte	36
	.byte	0
	.byte	0
	.byte	2
	.long	.Linfo_string3
	.byte	1
	.byte	2
	.long	.Linfo_string7
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
	.long	.Linfo_string5
	.byte	1
	.byte	2
	.long	.Linfo_string12
	.byte	1
	.byte	2
	.long	.Linfo_string6
	.byte	1
	.byte	3
	.quad	.Lfunc_begin1
	.long	.Lfunc_end1-.Lfunc_begin1
	.long	.Linfo_string16
	.byte	4
	.long	181
	.long	.Ldebug_ranges2
	.byte	3
	.byte	4
	.byte	55
	.byte	8
	.long	175
	.long	.Ldebug_ranges2
	.byte	6
	.short	3658
	.byte	9
	.byte	4
	.long	169
	.long	.Ldebug_ranges2
	.byte	7
	.byte	50
	.byte	22
	.byte	4
	.long	163
	.long	.Ldebug_ranges2
	.byte	8
	.byte	128
	.byte	19
	.byte	4
	.long	157
	.long	.Ldebug_ranges2
	.byte	5
	.byte	165
	.byte	19
	.byte	5
	.long	151
	.quad	.Lfunc_begin1
	.long	.Ltmp12-.Lfunc_begin1
	.byte	2
	.byte	44
	.byte	20
	.byte	8
	.long	193
	.long	.Ldebug_ranges3
	.byte	2
	.short	279
	.byte	27
	.byte	9
	.long	187
	.long	.Ldebug_ranges4
	.byte	5
	.byte	79
	.byte	25
	.byte	0
	.byte	7
	.long	199
	.quad	.Ltmp22
	.long	.Ltmp23-.Ltmp22
	.byte	2
	.short	283
	.byte	36
	.byte	0
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
	.byte	3
	.quad	.Lfunc_begin2
	.long	.Lfunc_end2-.Lfunc_begin2
	.long	.Linfo_string17
	.byte	10
	.long	362
	.long	.Ldebug_ranges5
	.byte	3
	.byte	10
	.byte	14
	.byte	2
	.byte	9
	.long	356
	.long	.Ldebug_ranges6
	.byte	2
	.byte	180
	.byte	28
	.byte	5
	.long	368
	.quad	.Ltmp34
	.long	.Ltmp35-.Ltmp34
	.byte	2
	.byte	185
	.byte	40
	.byte	0
	.byte	0
	.byte	0
.Ldebug_info_end0:
	.section	.text.sum_fold,"ax",@progbits
.Lsec_end0:
	.section	.text.sum_iter,"ax",@progbits
.Lsec_end1:
	.section	.text.sum_loop,"ax",@progbits
.Lsec_end2:
	.section	.debug_aranges,"",@progbits
	.long	76
	.short	2
	.long	.Lcu_begin0
	.byte	8
	.byte	0
	.zero	4,255
	.quad	.Lfunc_begin0
	.quad	.Lsec_end0-.Lfunc_begin0
	.quad	.Lfunc_begin1
	.quad	.Lsec_end1-.Lfunc_begin1
	.quad	.Lfunc_begin2
	.quad	.Lsec_end2-.Lfunc_begin2
	.quad	0
	.quad	0
	.section	.debug_ranges,"",@progbits
.Ldebug_ranges0:
	.quad	.Lfunc_begin0
	.quad	.Ltmp2
	.quad	.Ltmp3
	.quad	.Ltmp10
	.quad	0
	.quad	0
.Ldebug_ranges1:
	.quad	.Ltmp5
	.quad	.Ltmp6
	.quad	.Ltmp7
	.quad	.Ltmp8
	.quad	0
	.quad	0
.Ldebug_ranges2:
	.quad	.Lfunc_begin1
	.quad	.Ltmp14
	.quad	.Ltmp15
	.quad	.Ltmp24
	.quad	0
	.quad	0
.Ldebug_ranges3:
	.quad	.Ltmp17
	.quad	.Ltmp19
	.quad	.Ltmp20
	.quad	.Ltmp22
	.quad	0
	.quad	0
.Ldebug_ranges4:
	.quad	.Ltmp17
	.quad	.Ltmp18
	.quad	.Ltmp20
	.quad	.Ltmp21
	.quad	0
	.quad	0
.Ldebug_ranges5:
	.quad	.Lfunc_begin2
	.quad	.Ltmp27
	.quad	.Ltmp28
	.quad	.Ltmp29
	.quad	.Ltmp31
	.quad	.Ltmp32
	.quad	.Ltmp34
	.quad	.Ltmp35
	.quad	.Ltmp36
	.quad	.Ltmp38
	.quad	0
	.quad	0
.Ldebug_ranges6:
	.quad	.Lfunc_begin2
	.quad	.Ltmp26
	.quad	.Ltmp36
	.quad	.Ltmp37
	.quad	0
	.quad	0
.Ldebug_ranges7:
	.quad	.Lfunc_begin0
	.quad	.Lfunc_end0
	.quad	.Lfunc_begin1
	.quad	.Lfunc_end1
	.quad	.Lfunc_begin2
	.quad	.Lfunc_end2
	.quad	0
	.quad	0
	.section	.debug_str,"MS",@progbits,1
.Linfo_string0:
	.asciz	"clang LLVM (rustc version 1.95.0 (59807616e 2026-04-14))"
.Linfo_string1:
	.asciz	"k.rs/@/k.79f6e3749a3a7320-cgu.0"
.Linfo_string2:
	.asciz	"/tmp/exp"
.Linfo_string3:
	.asciz	"eq<i64>"
.Linfo_string4:
	.asciz	"fold<i64, i64, k::sum_fold::{closure_env#0}>"
.Linfo_string5:
	.asciz	"{closure#0}"
.Linfo_string6:
	.asciz	"unchecked_add"
.Linfo_string7:
	.asciz	"fold<i64, i64, core::iter::adapters::filter::filter_fold::{closure_env#0}<&i64, i64, k::sum_iter::{closure_env#0}, core::iter::adapters::map::map_fold::{closure_env#0}<&i64, i64, i64, k::sum_iter::{closure_env#1}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}>>>>>"
.Linfo_string8:
	.asciz	"fold<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}, i64, core::iter::adapters::map::map_fold::{closure_env#0}<&i64, i64, i64, k::sum_iter::{closure_env#1}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}>>>>"
.Linfo_string9:
	.asciz	"fold<i64, core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}, i64, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}>>>"
.Linfo_string10:
	.asciz	"sum<core::iter::adapters::map::Map<core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}>>"
.Linfo_string11:
	.asciz	"sum<core::iter::adapters::map::Map<core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}>, i64>"
.Linfo_string12:
	.asciz	"{closure#0}<&i64, i64, k::sum_iter::{closure_env#0}, core::iter::adapters::map::map_fold::{closure_env#0}<&i64, i64, i64, k::sum_iter::{closure_env#1}, core::iter::traits::accum::{impl#16}::sum::{closure_env#0}<core::iter::adapters::map::Map<core::iter::adapters::filter::Filter<core::slice::iter::Iter<i64>, k::sum_iter::{closure_env#0}>, k::sum_iter::{closure_env#1}>>>>"
.Linfo_string13:
	.asciz	"next<i64>"
.Linfo_string14:
	.asciz	"add<i64>"
.Linfo_string15:
	.asciz	"sum_fold"
.Linfo_string16:
	.asciz	"sum_iter"
.Linfo_string17:
	.asciz	"sum_loop"
	.ident	"rustc version 1.95.0 (59807616e 2026-04-14)"
	.section	".note.GNU-stack","",@progbits
	.section	.debug_line,"",@progbits
.Lline_table_start0:
