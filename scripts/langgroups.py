#!/usr/bin/env python3
"""Counts groups of message ids with the same German text across assets/lang/de*.json,
and of those the groups whose English is the same too (issue 18: the same meaning
written twice; TestNoMeaningWrittenTwice fails on such a pair unless its ids are built).
Usage: scripts/langgroups.py [REPO] [-v]"""
import json,glob,os,sys,collections
root=sys.argv[1] if len(sys.argv)>1 else '.'
def cat(code):
    out={}; where={}
    for f in sorted(glob.glob(root+'/assets/lang/%s*.json'%code)):
        base=os.path.basename(f)
        if not (base==code+'.json' or base.startswith(code+'.')): continue
        for k,v in json.load(open(f)).items():
            out[k]=v; where[k]=base
    return out,where
de,dw=cat('de'); en,ew=cat('en')
g=collections.defaultdict(list)
for k,v in de.items(): g[v].append(k)
groups=[(t,sorted(ids)) for t,ids in g.items() if len(ids)>1]
same=[x for x in groups if len(set(en.get(i) for i in x[1]))==1]
print("groups",len(groups),"same-en",len(same), "ids in groups", sum(len(i) for _,i in groups))
if '-v' in sys.argv:
    for t,ids in sorted(groups,key=lambda x:x[1]):
        s = 'SAME' if len(set(en.get(i) for i in ids))==1 else 'DIFF'
        print(s, repr(t))
        for i in ids: print('   ',i, dw[i], '|', repr(en.get(i)))
