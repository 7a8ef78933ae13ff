/**
 * Passwords that appear at the top of published leak statistics (international and Chinese), folded
 * to lower case. Length and pattern rules catch the rest of the obvious ones (see passwordProblem).
 */
const LIST = `
password password1 password12 password123 passw0rd p@ssw0rd p@ssword qwerty qwerty123 qwertyui qwertyuiop
qwe123456 qweasdzxc 1qaz2wsx 1q2w3e4r 1q2w3e4r5t 1qazxsw2 zaq12wsx zxcvbnm asdfghjk asdfghjkl asd123456
iloveyou iloveyou1 letmein letmein1 welcome welcome1 welcome123 sunshine princess football baseball
dragon monkey master superman batman trustno1 shadow michael jennifer charlie jordan23 abc12345
abcd1234 a1234567 a12345678 aa123456 aa12345678 aaa12345 abc123456 abcdef123 admin123 admin1234
admin12345 admin888 administrator root1234 root123456 test1234 test123456 guest123 changeme
changeme123 default123 secret123 password! woaini1314 woaini520 woaini123 5201314520 1314520520
woaiwojia iloveyou520 li123456 zhang123 wang1234 chen1234 liu12345 huang123 zhao1234 yang1234
88888888 66666666 11111111 00000000 12121212 11223344 12341234 123123123 147258369 159753456
123456789 1234567890 0123456789 12345678a 123456aa 123456abc 123qweasd 123abc456 1a2b3c4d
qq123456 qq5201314 woshishui wangyiqun huawei123 xiaoming taobao123 baidu123 weixin123
zhongguo chinese123 beijing123 chongqing chongqing123 yubei123 gov12345 zhengwu123 anquan123
`
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(LIST.split(/\s+/).filter(Boolean))
