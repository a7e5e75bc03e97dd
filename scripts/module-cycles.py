#!/usr/bin/env python3
"""Lists the cycles between the top-level modules of src/ (issue 15): for each group of
modules that reach each other through `crate::` paths, which of them each one uses.
Prints nothing when there is no cycle (exit status 1 when there is one). With --layers, also
prints the modules in layers: each uses only modules of the layers above it. Run from the
repository's root."""
import os,re,collections,itertools,sys
root='src'
deps=collections.defaultdict(set)
tops=set()
for dirpath,_,files in os.walk(root):
    for f in files:
        if not f.endswith('.rs'): continue
        p=os.path.join(dirpath,f)
        rel=os.path.relpath(p,root)
        parts=rel.split(os.sep)
        top=parts[0][:-3] if len(parts)==1 else parts[0]
        if top in ('lib','main'): continue
        tops.add(top)
        s=open(p).read()
        # crate::x paths, and `use crate::{ x::..., y }` groups
        for m in re.finditer(r"crate::(\w+)",s): deps[top].add(m.group(1))
        for m in re.finditer(r"use crate::\{(.*?)\};",s,re.S):
            body=m.group(1)
            depth=0;tok=''
            items=[];cur=''
            for ch in body:
                if ch=='{': depth+=1
                if ch=='}': depth-=1
                if ch==',' and depth==0: items.append(cur);cur=''
                else: cur+=ch
            items.append(cur)
            for it in items:
                it=it.strip()
                if it: deps[top].add(re.split(r"[:\s{]",it)[0])
for t in deps: deps[t]&=tops; deps[t].discard(t)
# find cycles: strongly connected components
index={};low={};stack=[];on=set();sccs=[];i=[0]
def sc(v):
    index[v]=low[v]=i[0];i[0]+=1;stack.append(v);on.add(v)
    for w in deps[v]:
        if w not in index: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],index[w])
    if low[v]==index[v]:
        comp=[]
        while True:
            w=stack.pop();on.discard(w);comp.append(w)
            if w==v: break
        sccs.append(comp)
sys.setrecursionlimit(10000)
for v in sorted(tops):
    if v not in index: sc(v)
for c in sccs:
    if len(c)>1:
        print("cycle among:",sorted(c))
        for a in sorted(c):
            print("  ",a,"->",sorted(deps[a]&set(c)))
cyclic=[c for c in sccs if len(c)>1]
if '--layers' in sys.argv and not cyclic:
    placed={}
    def layer(v):
        if v not in placed: placed[v]=1+max((layer(w) for w in deps[v]),default=-1)
        return placed[v]
    for v in tops: layer(v)
    for n in range(max(placed.values())+1):
        print(n, ' '.join(sorted(v for v in tops if placed[v]==n)))
sys.exit(1 if cyclic else 0)
