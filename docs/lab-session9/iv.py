import json,sys
for d in sys.argv[1:]:
    j=json.load(open(d+'/results.json'))
    for sc in j['scenarios']:
        for di in sc['directions']:
            for k,r in enumerate(di['tunnel']['runs']):
                iv=r.get('intervalsMbit') or []
                print(d.split('/')[-1], sc.get('name',sc.get('scenario','?')), di.get('direction','?'), k, '%.1f'%r['goodputMbit'], ' '.join('%.0f'%x for x in iv))
